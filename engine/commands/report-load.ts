import type { LoadSummary } from "../query/run-on-flow-logs";
import type { CommandIo } from "./io";

const MAX_LISTED = 20;

/** Malformed lines (file:line: reason) and the read/used/rejected summary, on stderr. */
export function reportLoad(summary: LoadSummary, io: CommandIo): void {
  for (const reject of summary.rejects.slice(0, MAX_LISTED)) {
    io.err(`flowlogs: skipped ${reject.file}:${reject.line}: ${reject.reason}\n`);
  }
  if (summary.rejects.length > MAX_LISTED)
    io.err(`flowlogs: ... and ${summary.rejects.length - MAX_LISTED} more skipped lines\n`);
  if (summary.read === null) {
    io.err(`flowlogs: ${summary.files} files, records not counted (--no-verify-gzip), ${summary.rejected} rejected\n`);
    return;
  }
  io.err(
    `flowlogs: ${summary.files} files, ${summary.read} records read, ${summary.used} used, ${summary.rejected} rejected\n`,
  );
}
