import { findNamedQuery, QueryError, renderQuery } from "../../monitoring/named-queries";
import { resolveLogPaths } from "../logs/resolve-log-paths";
import { formatRows, type RowFormat } from "../output/format-rows";
import { openFlowLogDatabase } from "../query/flow-log-database";
import { FLOW_LOG_VIEW } from "../query/flow-log-view";
import { runOnFlowLogs } from "../query/run-on-flow-logs";
import { runSql, type QueryResult } from "../query/run-sql";
import { oneLine, parseStatement } from "../query/sql-statement";
import type { CommandIo } from "./io";
import { reportLoad } from "./report-load";

export interface QueryOptions {
  readonly name?: string;
  readonly sql?: string;
  readonly logs: readonly string[];
  readonly params?: Readonly<Record<string, string>>;
  readonly format?: RowFormat;
  /** Let --sql read and write files other than the logs (COPY ... TO, read_csv of other paths). */
  readonly allowFileAccess?: boolean;
}

/** The SQL to run: a named query rendered exactly as the stack deploys it (table `vpc_flow_log`), or ad-hoc SQL. */
export function querySql(options: Pick<QueryOptions, "name" | "sql" | "params">): string {
  if (options.sql !== undefined && options.name !== undefined)
    throw new QueryError("give a query name or --sql, not both");
  if (options.sql !== undefined) {
    // A parameter would go nowhere: --sql has no placeholders (the named queries do).
    const given = Object.keys(options.params ?? {});
    if (given.length > 0)
      throw new QueryError(`--param ${given.join(", ")}: parameters are for named queries, expected none with --sql`);
    return options.sql;
  }
  if (options.name === undefined) throw new QueryError("give a query name (flowlogs query --list) or --sql");
  return renderQuery(findNamedQuery(options.name), { table: FLOW_LOG_VIEW, params: options.params });
}

export async function runQueryOnLogs(options: QueryOptions, io: CommandIo): Promise<QueryResult> {
  const sql = querySql(options);
  const db = await openFlowLogDatabase();
  try {
    // The SQL first: a typo in it fails before any file is looked at.
    const by = options.name ? `query ${options.name}` : "--sql";
    const { named, readsOnly } = await parseStatement(db.connection, sql, by);
    const files = resolveLogPaths(options.logs);
    const { result, summary } = await runOnFlowLogs(
      db,
      files,
      () =>
        runSql(db.connection, sql).catch((error: unknown) => {
          throw new QueryError(`${by}: ${oneLine(error)}`);
        }),
      { requires: { columns: named, by }, allowFileAccess: options.allowFileAccess, keep: readsOnly ?? undefined },
    );
    reportLoad(summary, io);
    return result;
  } finally {
    db.close();
  }
}

/** `flowlogs query`: runs the query and prints its rows. */
export async function queryCommand(options: QueryOptions, io: CommandIo): Promise<number> {
  const result = await runQueryOnLogs(options, io);
  io.out(formatRows(result, options.format ?? "table"));
  return 0;
}
