import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import type { CopyTarget, CopyTo } from "./copy-spool";
import type { HeaderColumn } from "./flow-log-header";
import { RecordLines, type RejectedLine } from "./record-lines";
import type { MinuteBucket } from "../replay/metric-datapoints";
import { ReplayTap, type ReplaySpec } from "../replay/replay-tap";
import type { ProbeWindows } from "../detect/probe-tracker";
import type { LogFile } from "./resolve-log-paths";

/** A text or gzip file, read once: its records copied as plain text for DuckDB, the rest counted. */
export interface PreparedFile {
  /** The file as given: its path names it in reports and gives its date partition. */
  readonly file: LogFile;
  readonly columns: readonly HeaderColumn[];
  /** The fields the plain-text copy holds: `columns`, or those of them RecordUse.keep names. */
  readonly copyColumns: readonly HeaderColumn[];
  /**
   * The records: how many, and where their plain-text copy is unless none was asked for (`count` lines
   * after the first `offset` of a spool file that other files' copies share); null when none.
   */
  readonly records: {
    readonly count: number;
    readonly copy?: { readonly path: string; readonly offset: number };
  } | null;
  /** Lines that are no records, plus one for the part of a broken gzip file that is lost. */
  readonly rejected: number;
  /** The first of them, with line numbers and reasons (one entry for a file with no record at all). */
  readonly rejects: readonly RejectedLine[];
  /** Rejected lines `rejects` does not speak for. */
  readonly unlisted: number;
  /** With `replay`: each metric filter's statistics per minute over the file's records, in its order. */
  readonly minutes?: readonly (readonly MinuteBucket[])[];
  /** With `replay.probes`: the port-scan detection's probes of the file's records, by window. */
  readonly probes?: ProbeWindows;
}

/** What to do with a file's records besides counting them (sent to reader processes as it is). */
export interface RecordUse {
  /** Run these metric filters over them (replay, detect). */
  readonly replay?: ReplaySpec;
  /**
   * The only columns (table names) the copy needs; all when unset. A query that reads 1 field of 14
   * makes a copy a tenth the size, which DuckDB then reads ten times faster.
   */
  readonly keep?: readonly string[];
}

/**
 * Reads one text or gzip file end to end: inflates it, keeps the lines that are records and writes
 * them to a plain-text copy (`copyTo`; none when unset), and counts and lists everything else. A
 * truncated or corrupt gzip file keeps the records before the damage and is reported where the damage
 * starts (DuckDB alone would stop there without a word).
 */
export async function prepareFile(file: LogFile, use: RecordUse, copyTo?: CopyTo): Promise<PreparedFile> {
  const { replay, keep } = use;
  let copy: CopyTarget | null = null;
  let tap: ReplayTap | undefined;
  const onRecord = replay && ((line: string) => (tap ??= new ReplayTap(replay, lines.columns)).record(line));
  const lines = new RecordLines(
    file.path,
    (records) => {
      if (copyTo === undefined) return;
      copy ??= copyTo(lines.writtenColumns);
      // Wait for the writes to catch up (a write error is reported when the spool closes).
      if (!copy.write(records)) pause = copy.drained();
    },
    onRecord,
    keep,
  );
  let pause: Promise<unknown> | null = null;
  const error = await readChunks(file, (chunk) => {
    lines.push(chunk);
    const wait = pause;
    pause = null;
    return wait;
  });
  if (error === null)
    lines.end(); // may write the last line: before the copy is closed
  else if (lines.lineNumber === 0 && lines.records === 0 && file.format !== "gzip") {
    lines.reject(0, `cannot read the file: ${error}`);
  } else {
    const at = lines.abandon();
    lines.reject(
      at,
      file.format === "gzip"
        ? `broken gzip data (${error}); the ${lines.records} records before it kept`
        : `read error (${error}); the ${lines.records} records before it kept`,
    );
  }
  const written = copy as CopyTarget | null; // assigned in the callback
  written?.done(lines.records);
  return {
    file,
    columns: lines.columns,
    copyColumns: lines.writtenColumns,
    records:
      lines.records === 0
        ? null
        : { count: lines.records, ...(written ? { copy: { path: written.path, offset: written.offset } } : {}) },
    ...(tap ? { minutes: tap.buckets() } : {}),
    ...(tap?.probes() ? { probes: tap.probes() } : {}),
    rejected: lines.rejected,
    ...wholeFileOrLines(file, lines),
  };
}

/** A file with no record at all is one report ("not a flow-log file"), not one line per line of noise. */
function wholeFileOrLines(file: LogFile, lines: RecordLines): Pick<PreparedFile, "rejects" | "unlisted"> {
  if (lines.records > 0 || lines.rejected <= 1)
    return { rejects: lines.listed, unlisted: lines.rejected - lines.listed.length };
  const first = lines.listed[0];
  const reason = `no flow-log record in ${lines.rejected} lines (line ${first.line}: ${first.reason})`;
  return { rejects: [{ file: file.path, line: 0, reason }], unlisted: 0 };
}

/**
 * Streams the file's (inflated) bytes to `onChunk`, pausing while the promise it returns (the copy's
 * writes catching up) is pending; resolves to the error that stopped it, or null at the end.
 */
function readChunks(file: LogFile, onChunk: (chunk: Buffer) => Promise<unknown> | null): Promise<string | null> {
  return new Promise((resolve) => {
    const input = createReadStream(file.path, { highWaterMark: 1 << 20 });
    const gunzip = file.format === "gzip" ? createGunzip({ chunkSize: 1 << 20 }) : null;
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      input.destroy();
      gunzip?.destroy();
      resolve(error ? error.message : null);
    };
    const bytes = gunzip ?? input;
    bytes.on("data", (chunk: Buffer) => {
      if (settled) return;
      const wait = onChunk(chunk);
      if (wait) {
        bytes.pause();
        void wait.then(() => bytes.resume());
      }
    });
    bytes.on("end", () => settle(null));
    input.on("error", settle);
    if (gunzip) {
      gunzip.on("error", settle);
      input.pipe(gunzip);
    }
  });
}
