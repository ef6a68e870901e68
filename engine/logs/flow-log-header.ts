import { closeSync, openSync, readSync } from "node:fs";
import { gunzipSync, constants } from "node:zlib";
import { FLOW_LOG_FIELDS, type ColumnType } from "../../monitoring/flow-log-fields";
import type { LogFile } from "./resolve-log-paths";

export interface HeaderColumn {
  /** The field name as the file's header writes it (`account-id`). */
  readonly field: string;
  /** The table's column name (`account`), or the field with hyphens as underscores for fields beyond v2. */
  readonly column: string;
  readonly type: ColumnType;
}

const BY_FIELD = new Map(FLOW_LOG_FIELDS.map((f) => [f.field, f]));
// Parquet files name fields with underscores (account_id, log_status).
const BY_UNDERSCORED = new Map(FLOW_LOG_FIELDS.map((f) => [f.field.replaceAll("-", "_"), f]));

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

/** The first line of a text or gzip flow-log file: the header naming its fields in order. */
export function readHeaderLine(file: LogFile): string {
  let head = readHead(file.path, 64 * 1024);
  if (file.format === "gzip") {
    // A partial inflate of the first block is enough for the first line.
    head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
  }
  const text = head.toString("utf8");
  const newline = text.indexOf("\n");
  return (newline >= 0 ? text.slice(0, newline) : text).replace(/\r$/, "").trim();
}

/** The header's fields, or null when the first line is a record rather than a header. */
export function parseHeader(line: string): HeaderColumn[] | null {
  const fields = line.split(/\s+/).filter(Boolean);
  if (fields.length === 0 || !fields.every((f) => /^[a-z][a-z0-9-]*$/.test(f))) return null;
  if (!fields.some((f) => BY_FIELD.has(f))) return null;
  return fields.map(headerColumn);
}
