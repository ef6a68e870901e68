import { closeSync, openSync, readSync } from "node:fs";
import { gunzipSync, constants } from "node:zlib";
import { KNOWN_FIELDS, type ColumnType } from "../../monitoring/flow-log-fields";
import { ALL_PARTITION_COLUMNS } from "../../monitoring/flow-log-storage";
import type { LogFile } from "./resolve-log-paths";

export interface HeaderColumn {
  /** The field name as the file's header writes it (`account-id`). */
  readonly field: string;
  /** The table's column name (`account`), or the field with hyphens as underscores for fields beyond v2. */
  readonly column: string;
  readonly type: ColumnType;
}

const BY_FIELD = new Map(KNOWN_FIELDS.map((f) => [f.field, f]));
// Parquet files name fields with underscores (account_id, log_status).
const BY_UNDERSCORED = new Map(KNOWN_FIELDS.map((f) => [f.field.replaceAll("-", "_"), f]));

/** Maps a header field (or Parquet column) name to the Athena table's column. */
export function headerColumn(field: string): HeaderColumn {
  const known = BY_FIELD.get(field) ?? BY_UNDERSCORED.get(field);
  if (known) return { field, column: known.column, type: known.type };
  return { field, column: field.replaceAll("-", "_"), type: "string" };
}

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** The text at the start of a file: a partial inflate of a gzip file's first blocks ("" when they do not inflate). */
function headText(file: LogFile, bytes: number): { text: Buffer; whole: boolean } {
  const head = readHead(file.path, bytes);
  const whole = head.length < bytes;
  if (file.format !== "gzip") return { text: head, whole };
  try {
    return { text: gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }), whole };
  } catch {
    // Not gzip, or damaged at the start: no header to read (the end-to-end check reports the file).
    return { text: Buffer.alloc(0), whole: true };
  }
}

/**
 * The first line of a text or gzip flow-log file: the header naming its fields in order. Reads a
 * little first (a header is short; inflating 64 KB of each of a thousand files adds up).
 */
export function readHeaderLine(file: LogFile): string {
  let text: Buffer = Buffer.alloc(0);
  for (const bytes of [1024, 64 * 1024]) {
    const head = headText(file, bytes);
    text = head.text;
    if (text.includes(0x0a) || head.whole) break;
  }
  const newline = text.indexOf(0x0a);
  return (newline >= 0 ? text.subarray(0, newline) : text).toString("utf8").replace(/\r$/, "").trim();
}

/**
 * The header's fields, or null when the first line is not a header (a record, or anything else):
 * field names as AWS writes them, at least one of them known, none twice, and none that would
 * stand for a partition column (year, month, day).
 */
export function parseHeader(line: string): HeaderColumn[] | null {
  const fields = line.split(/\s+/).filter(Boolean);
  if (fields.length === 0 || !fields.every((f) => /^[a-z][a-z0-9-]*$/.test(f))) return null;
  if (!fields.some((f) => BY_FIELD.has(f))) return null;
  const columns = fields.map(headerColumn);
  const names = columns.map((c) => c.column);
  if (new Set(names).size !== names.length) return null;
  if (names.some((n) => (ALL_PARTITION_COLUMNS as readonly string[]).includes(n))) return null;
  return columns;
}
