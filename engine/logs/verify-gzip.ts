import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { constants, createGunzip, gunzipSync } from "node:zlib";
import type { LogFile } from "./resolve-log-paths";

export interface BrokenGzip {
  readonly path: string;
  readonly reason: string;
  /** Complete non-blank lines (header included) that could be recovered before the damage. */
  readonly goodLines: number;
  /** 1-based line number (blank lines included) of the first line the damage took. */
  readonly firstLostLine: number;
  /** A plain-text copy of the intact lines, for reading in place of the broken file. */
  readonly recoveredPath: string;
}

export interface CheckedFile {
  readonly path: string;
  /** Non-blank lines, header included (DuckDB's CSV reader skips blank lines: they are no records). */
  readonly lines: number;
  /** Set when a gzip file is truncated or corrupt. */
  readonly broken?: BrokenGzip;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Counts non-blank lines in a stream of chunks: one `indexOf` per line, nothing else, so that the
 * count keeps pace with inflating. A line of just `\r` is blank; a last line without `\n` counts.
 */
export class LineCounter {
  lines = 0;
  /** Lines of any kind that ended (blank ones included): the line number of the last complete line. */
  ended = 0;
  private pending = 0;
  private pendingCr = false;

  push(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    while (newline !== -1) {
      const length = this.pending + newline - start;
      const onlyCr = length === 1 && (newline > start ? chunk[start] === CR : this.pendingCr);
      if (length > 0 && !onlyCr) this.lines++;
      this.ended++;
      this.pending = 0;
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) {
      if (this.pending === 0) this.pendingCr = chunk[start] === CR;
      this.pending += chunk.length - start;
    }
  }

  /** Non-blank lines, counting a last line without a newline. */
  total(): number {
    return this.lines + (this.pending > 1 || (this.pending === 1 && !this.pendingCr) ? 1 : 0);
  }
}

/** Streams a file (inflating gzip on the libuv thread pool) through a LineCounter; resolves to the error, if any. */
function countFile(file: LogFile, counter: LineCounter): Promise<string | null> {
  return new Promise((resolve) => {
    const input = createReadStream(file.path, { highWaterMark: 1 << 20 });
    input.on("error", (error) => resolve(error.message));
    if (file.format !== "gzip") {
      input.on("data", (chunk) => counter.push(chunk as Buffer));
      input.on("end", () => resolve(null));
      return;
    }
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    gunzip.on("data", (chunk: Buffer) => counter.push(chunk));
    gunzip.on("end", () => resolve(null));
    gunzip.on("error", (error) => resolve(error.message));
    input.pipe(gunzip);
  });
}

function recover(path: string, reason: string, dir: string): BrokenGzip {
  let text = Buffer.alloc(0);
  try {
    text = gunzipSync(readFileSync(path), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    // Nothing inflates (e.g. not gzip at all): nothing to recover.
  }
  const complete = text.subarray(0, text.lastIndexOf(NEWLINE) + 1);
  const counter = new LineCounter();
  counter.push(complete);
  const recoveredPath = join(dir, `${basename(path)}.recovered.log`);
  writeFileSync(recoveredPath, complete);
  return { path, reason, goodLines: counter.lines, firstLostLine: counter.ended + 1, recoveredPath };
}

export interface CheckOptions {
  /** Files checked at a time (gzip inflates on the libuv pool, one pool thread per file). @default 1 */
  readonly concurrency?: number;
  /** Stops taking new files (the result is then partial and not to be used). */
  readonly signal?: AbortSignal;
}

/**
 * Reads text and gzip files end to end, counting their non-blank lines. For gzip this is also the
 * integrity check: DuckDB stops silently at a truncated gzip member, which would lose records
 * without a word. A broken file is reported, and its intact lines are recovered into a plain-text
 * copy so that the run can go on with it. Runs alongside the query: mostly on the libuv pool.
 */
export async function checkLogFiles(files: readonly LogFile[], options: CheckOptions = {}): Promise<CheckedFile[]> {
  const checked: CheckedFile[] = [];
  let next = 0;
  let dir: string | undefined;
  const worker = async () => {
    while (next < files.length && !options.signal?.aborted) {
      const file = files[next++];
      const counter = new LineCounter();
      const error = await countFile(file, counter);
      if (error === null) {
        checked.push({ path: file.path, lines: counter.total() });
        continue;
      }
      if (file.format !== "gzip") throw new Error(`cannot read ${file.path}: ${error}`);
      dir ??= mkdtempSync(join(tmpdir(), "flowlogs-recovered-"));
      const broken = recover(file.path, error, dir);
      checked.push({ path: file.path, lines: broken.goodLines, broken });
    }
  };
  const concurrency = Math.max(1, options.concurrency ?? 1);
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return checked.sort((a, b) => a.path.localeCompare(b.path));
}
