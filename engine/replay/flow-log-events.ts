import type { DuckDBConnection } from "@duckdb/node-api";
import type { FlowLogField } from "../../monitoring/flow-log-fields";
import { quoteIdent } from "../query/flow-log-sources";
import { FLOW_LOG_VIEW } from "../query/flow-log-view";
import type { LogEvent } from "./metric-datapoints";

/**
 * The records of `vpc_flow_log` as the CloudWatch Logs flow log would have delivered them: the
 * message in the deployed format's field order (`fields`), `-` for nulls, whatever order the files used;
 * the event timestamp is the record's `start` (AWS: "the timestamp field corresponds to the start
 * time that's captured in the flow log record"). In no particular order: the per-minute metric
 * does not depend on it, and not sorting streams any number of records in little memory (sorting
 * 10 million records ran out of DuckDB's memory limit).
 */
export async function* flowLogEvents(
  connection: DuckDBConnection,
  deployed: readonly FlowLogField[],
): AsyncGenerator<LogEvent> {
  const fields = deployed.map((f) => `coalesce(CAST(${quoteIdent(f.column)} AS VARCHAR), '-')`).join(", ");
  const result = await connection.stream(
    `SELECT starttime, concat_ws(' ', ${fields}) AS message FROM ${FLOW_LOG_VIEW} WHERE starttime IS NOT NULL`,
  );
  for await (const rows of result.yieldRowsJs()) {
    for (const [start, message] of rows) yield { timestampSeconds: Number(start), message: String(message) };
  }
}
