import { createReadStream, createWriteStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { EngineError } from "../engine-error";
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
  /** The records: how many, and their plain-text copy (no header) unless none was asked for; null when none. */
  readonly records: { readonly path?: string; readonly count: number } | null;
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

/** What to do with a file's records besides counting them. */
export interface RecordUse {
  /** Where to write their plain-text copy (for DuckDB); none when undefined. */
  readonly copyPath?: string;
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
 * them to a plain-text copy at `copyPath`, and counts and lists everything else. A truncated or
 * corrupt gzip file keeps the records before the damage and is reported where the damage starts
 * (DuckDB alone would stop there without a word).
 */
export async function prepareFile(file: LogFile, use: RecordUse): Promise<PreparedFile> {
  const { copyPath, replay, keep } = use;
  // Written on the libuv pool (a synchronous write of every record cost a third of the pass).
  const copy = copyPath === undefined ? null : createWriteStream(copyPath, { highWaterMark: 4 << 20 });
  let copyError: Error | null = null;
  copy?.on("error", (error) => (copyError ??= error));
  let tap: ReplayTap | undefined;
  const onRecord = replay && ((line: string) => (tap ??= new ReplayTap(replay, lines.columns)).record(line));
  const lines = new RecordLines(
    file.path,
    (records) => {
      if (copy === null || copyError || copy.write(records)) return;
      // Wait for the writes to catch up; a failed copy closes instead of draining (and is reported below).
      pause = new Promise<void>((resolve) => {
        copy.once("drain", () => resolve());
        copy.once("close", () => resolve());
      });
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
  if (copy) {
    copy.end();
    if (!copy.closed) await new Promise<void>((resolve) => copy.once("close", () => resolve()));
  }
  if (copyError)
    throw new EngineError(
      `cannot write the plain-text copy of ${file.path} under ${copyPath} (TMPDIR): ${(copyError as Error).message}`,
    );
  return {
    file,
    columns: lines.columns,
    copyColumns: lines.writtenColumns,
    records: lines.records > 0 ? { path: copyPath, count: lines.records } : null,
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
