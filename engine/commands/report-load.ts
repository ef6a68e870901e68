import { EngineError } from "../engine-error";
import type { LoadSummary } from "../query/run-on-flow-logs";
import type { CommandIo } from "./io";

const MAX_LISTED = 20;

/**
 * Skipped lines (`file:line: reason`; line 0 is the whole file) and the read/used/rejected summary,
 * on stderr. Files that hold no record at all, only lines that are none, are an error (exit 2): that
 * is not an answer of "no traffic".
 */
export function reportLoad(summary: LoadSummary, io: CommandIo): void {
  const shown = summary.rejects.slice(0, MAX_LISTED);
  for (const reject of shown) {
    const where = reject.line > 0 ? `${reject.file}:${reject.line}` : reject.file;
    io.err(`flowlogs: skipped ${where}: ${reject.reason}\n`);
  }
  const more = summary.unlisted + summary.rejects.length - shown.length;
  if (more > 0) io.err(`flowlogs: ... and ${more} more skipped lines\n`);
  const files = `${summary.files} file${summary.files === 1 ? "" : "s"}`;
  io.err(
    `flowlogs: ${files}, ${summary.read} lines read, ${summary.used} records used, ${summary.rejected} rejected\n`,
  );
  if (summary.outOfMemoryAt !== undefined)
    io.err(
      `flowlogs: DuckDB ran out of memory within ${summary.outOfMemoryAt}; the query ran again under ` +
        `DuckDB's own limit (80% of the RAM)\n`,
    );
  if (summary.used === 0 && summary.rejected > 0)
    throw new EngineError(`no flow-log record in ${files}: every line was rejected (see above)`);
}
