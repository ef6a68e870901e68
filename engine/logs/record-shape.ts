import type { ColumnType } from "../../monitoring/flow-log-fields";
import type { HeaderColumn } from "./flow-log-header";

/** The longest line that can be a record: every field of the newest format fits in well under 2 KiB. */
export const MAX_RECORD_BYTES = 8192;

const MAX = { int: 2147483647n, bigint: 9223372036854775807n } as const;
/**
 * The fast path's fields: printable ASCII but space; numbers as digits surely in range (an INTEGER up to
 * 2099999999, which holds epoch seconds until 2036; a BIGINT up to 18 digits) or `-` (no value). A
 * number beyond that but still in range fails the fast path only, and `problem` accepts it.
 */
const FAST_FIELD = {
  string: "[!-~]+",
  // 10-digit numbers first (epoch seconds): the common case matches without backtracking.
  int: "(?:[01][0-9]{9}|20[0-9]{8}|[0-9]{1,9}|-)",
  bigint: "(?:[0-9]{1,18}|-)",
} as const;

/**
 * What a record looks like in one file: its fields (from the file's header, or the default format),
 * each printable ASCII, numbers as digits within their column's range, `-` for no value. The whole
 * engine reads only lines of this shape, so DuckDB never meets a line it could choke on, and the
 * records a query sees are exactly the records counted as used.
 */
export class RecordShape {
  readonly fieldCount: number;
  /** Matches a run of valid lines, each ending in `\n`: the fast path's one pass over a chunk. */
  private readonly validLines: RegExp;
  /** `project`'s expressions, by the fields they keep. */
  private readonly projections = new Map<string, RegExp>();

  constructor(readonly columns: readonly HeaderColumn[]) {
    this.fieldCount = columns.length;
    const line = columns.map((c) => FAST_FIELD[c.type]).join(" ");
    // Sticky and global: `replace` removes valid lines from the start and stops at the first other one.
    this.validLines = new RegExp(`${line}\\n`, "gy");
  }

  /**
   * True when every line of `text` (latin1; complete lines, each ending in `\n`) is surely a record:
   * one regular-expression pass, linear in the text (a field cannot match a space, so nothing
   * backtracks). False says only "look line by line" (`problem`).
   */
  allRecords(text: string): boolean {
    return text.replace(this.validLines, "").length === 0;
  }

  /**
   * Fields `first` to `last` (0-based, inclusive) of every line of `text` (complete lines, each ending
   * in `\n`): one regular-expression pass, like `allRecords`, with one capture (each more capture cost
   * about as much again as the whole pass: measured in docs/performance.md). Null when a line is not
   * surely a record (look line by line): a valid line matches the first branch and captures a
   * non-empty run, so only a line that took the second branch leaves an empty line behind.
   */
  project(text: string, first: number, last: number): string | null {
    const key = `${first}-${last}`;
    let lines = this.projections.get(key);
    if (!lines) {
      const fields = this.columns.map((c) => FAST_FIELD[c.type]);
      const before = fields.slice(0, first).map((f) => `${f} `);
      const after = fields.slice(last + 1).map((f) => ` ${f}`);
      const kept = `(${fields.slice(first, last + 1).join(" ")})`;
      lines = new RegExp(`(?:${[...before, kept, ...after].join("")}|[^\n]*)\n`, "gy");
      this.projections.set(key, lines);
    }
    const out = text.replace(lines, "$1\n");
    return out.startsWith("\n") || out.includes("\n\n") ? null : out;
  }

  /** Why `line` (no newline; latin1) is not a record of this shape, or null when it is one. */
  problem(line: string): string | null {
    if (line.length > MAX_RECORD_BYTES) return `line longer than ${MAX_RECORD_BYTES} bytes`;
    const bad = /[^ -~]/.exec(line);
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).padStart(2, "0");
      return `byte 0x${code} at column ${bad.index + 1} (a record is printable ASCII)`;
    }
    const fields = line.split(" ");
    if (fields.length !== this.fieldCount)
      return `expected ${this.fieldCount} fields separated by single spaces, found ${fields.length}`;
    for (let i = 0; i < fields.length; i++) {
      const problem = fieldProblem(fields[i], this.columns[i].type);
      if (problem) return `field ${i + 1} (${this.columns[i].field}): ${problem}`;
    }
    return null;
  }
}

function fieldProblem(value: string, type: ColumnType): string | null {
  if (value === "") return "empty (two spaces in a row, or a space at an end)";
  if (type === "string" || value === "-") return null;
  if (!/^\d+$/.test(value)) return `expected a whole number or -, found ${JSON.stringify(value.slice(0, 40))}`;
  if (value.length > 20 || BigInt(value) > MAX[type]) return `${value.slice(0, 40)} is out of range for ${type}`;
  return null;
}
