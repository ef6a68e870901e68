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
  private readonly projections = new Map<string, { lines: RegExp; replacement: string; other: string }>();

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
   * The fields at `indexes` (ascending) of every line of `text` (complete lines, each ending in `\n`),
   * separated by single spaces: one regular-expression pass, like `allRecords`. Null when a line is not
   * surely a record (look line by line). Each valid line matches the first branch, and every field it
   * captures is non-empty, so a line that took the second branch is the only kind that leaves all
   * captures empty: that is how a chunk with any other line is told apart.
   */
  project(text: string, indexes: readonly number[]): string | null {
    const key = indexes.join(",");
    let projection = this.projections.get(key);
    if (!projection) {
      const wanted = new Set(indexes);
      const fields = this.columns.map((c, i) => (wanted.has(i) ? `(${FAST_FIELD[c.type]})` : FAST_FIELD[c.type]));
      projection = {
        lines: new RegExp(`(?:${fields.join(" ")}|[^\n]*)\n`, "gy"),
        replacement: indexes.map((_, k) => `$${k + 1}`).join(" ") + "\n",
        other: " ".repeat(indexes.length - 1) + "\n",
      };
      this.projections.set(key, projection);
    }
    const out = text.replace(projection.lines, projection.replacement);
    const other = projection.other;
    return out.startsWith(other) || out.includes(`\n${other}`) ? null : out;
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
