import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import type { MetricFilterDefinition } from "../../monitoring/ping-deny";
import { compilePattern } from "../filter-pattern";
import type { PreparedFile } from "../logs/prepare-log-files";
import { resolveLogPaths } from "../logs/resolve-log-paths";
import { openFlowLogDatabase } from "../query/flow-log-database";
import { runOnFlowLogs, type LoadSummary } from "../query/run-on-flow-logs";
import { flowLogEvents } from "../replay/flow-log-events";
import { MetricAccumulator, type MinuteMetric } from "../replay/metric-datapoints";

export interface ReplayedMinutes {
  /** Each filter's metric per minute, in the filters' order. */
  readonly minutes: MinuteMetric[][];
  readonly summary: LoadSummary;
}

/**
 * Runs metric filters over the records of the files in one read, as CloudWatch Logs would over the
 * flow log's events: text and gzip records in the worker threads as they are read, Parquet rows
 * through DuckDB. `attribute[i]`: count filter i's matches' source and destination per minute (detect).
 */
export async function replayMinutes(
  logs: readonly string[],
  filters: readonly MetricFilterDefinition[],
  by: string,
  attribute: readonly boolean[] = [],
): Promise<ReplayedMinutes> {
  const files = resolveLogPaths(logs);
  const db = await openFlowLogDatabase();
  try {
    const feed = async (text: readonly PreparedFile[]) => {
      const accumulators = filters.map(
        (f, i) => new MetricAccumulator(f, compilePattern(f.pattern), attribute[i] ?? false),
      );
      for (const file of text) file.minutes?.forEach((minutes, i) => accumulators[i].merge(minutes));
      for await (const event of flowLogEvents(db.connection)) for (const a of accumulators) a.add(event);
      return accumulators.map((a) => a.result());
    };
    const { result, summary } = await runOnFlowLogs(db, files, feed, {
      replay: { filters, attribute },
      requires: { columns: FLOW_LOG_FIELDS.map((f) => f.column), by },
    });
    return { minutes: result, summary };
  } finally {
    db.close();
  }
}
