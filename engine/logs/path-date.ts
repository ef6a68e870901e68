/** The date (and hour) partition a flow-log file's path gives it, as the Athena table's partitions are folders. */
import { ALL_PARTITION_COLUMNS } from "../../monitoring/flow-log-storage";

export interface PathDate {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  /** With per-hour delivery. */
  readonly hour?: string;
}

// `.../yyyy/MM/dd[/HH]/<file>` (the S3 destination's layouts, monitoring/flow-log-storage.ts) or hive
// `.../year=yyyy/month=MM/day=dd[/hour=HH]/<file>`.
const PATH_DATE = /(?:^|\/)(?:year=)?(\d{4})\/(?:month=)?(\d{2})\/(?:day=)?(\d{2})\/(?:(?:hour=)?(\d{2})\/)?[^/]*$/;

/** The partition a file's path puts it in, or null outside the S3 (or hive) layout. */
export function pathDate(path: string): PathDate | null {
  const m = PATH_DATE.exec(path.replaceAll("\\", "/"));
  if (!m) return null;
  return m[4] === undefined
    ? { year: m[1], month: m[2], day: m[3] }
    : { year: m[1], month: m[2], day: m[3], hour: m[4] };
}

/** Files with the same key are in the same date (or hour) folder, or both outside the S3 layout. */
export function dateFolderKey(path: string): string {
  const d = pathDate(path);
  return d ? `${d.year}/${d.month}/${d.day}/${d.hour ?? ""}` : "-";
}

/**
 * The Hive-style folders (`year=2024/month=05/day=01/hour=NULL`) a copy of a file of this date is
 * spooled under: DuckDB reads the partition columns from them (`NULL` reads as NULL, the hour of a
 * daily folder), so one read_csv serves every date and a filter on them skips whole files.
 */
export function hiveFolders(date: PathDate): string {
  return ALL_PARTITION_COLUMNS.map((column) => `${column}=${date[column] ?? "NULL"}`).join("/");
}
