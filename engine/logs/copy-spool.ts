import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import { EngineError } from "../engine-error";
import type { HeaderColumn } from "./flow-log-header";
import { dateFolderKey, hiveFolders, pathDate } from "./path-date";

/** Files whose copies can share a spool file: the same fields in the same order, from the same date folder. */
function spoolKey(path: string, columns: readonly HeaderColumn[]): string {
  return `${columns.map((c) => c.field).join(" ")}|${dateFolderKey(path)}`;
}

/** Where a file's records are copied: a spool file, after the records already in it. */
export interface CopyTarget {
  readonly path: string;
  /** Records written to the file before this one's. */
  readonly offset: number;
  /** Writes whole record lines; false: wait for `drained` before the next write. */
  write(records: Buffer): boolean;
  drained(): Promise<void>;
  /** The file's records are all written: the next file of the lane goes after them. */
  done(records: number): void;
}

/** Where a file's copy goes, once its fields (its header) are known. */
export type CopyTo = (columns: readonly HeaderColumn[]) => CopyTarget;

/**
 * Creates the folders `below` the spool folder, one level at a time, so that a spool folder already
 * removed (an interrupted run's, by its exit handler) is not made again. Called in a stream's data
 * handler: an error is returned, never thrown.
 */
function made(root: string, below: string): Error | null {
  let folder = root;
  for (const name of below.split("/")) {
    folder = join(folder, name);
    try {
      mkdirSync(folder);
    } catch (error) {
      // Made already (by this reader or another): fine; anything else there fails the file's open.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return error as Error;
    }
  }
  return null;
}

interface SpoolFile {
  readonly key: string;
  readonly path: string;
  readonly stream: WriteStream;
  readonly closed: Promise<void>;
  records: number;
  error: Error | null;
}

/**
 * The plain-text copies of one process's records, in a few append-only spool files instead of one per
 * log file: creating a file on ext4 took ~0.5 ms on the CI machine, 0.5 s of CPU for 1,000 log files
 * (docs/performance.md). A lane reads one log file at a time into its spool file for the file's field
 * order and date folder, so each log file's records are one run of lines there: `offset` and the
 * count say which. A lane keeps one spool file open: a file of another key ends it and starts a new
 * one (a year of hourly folders would otherwise hold thousands of files open). Copies of files in the
 * S3 layout go under Hive-style folders of their date (hiveFolders).
 */
export class CopySpool {
  /** Every spool file made, in order: close() waits for each. */
  private readonly files: SpoolFile[] = [];
  /** The open spool file of each lane. */
  private readonly open = new Map<number, SpoolFile>();

  /** @param name unique among the spools writing to `dir` (the process's) */
  constructor(
    private readonly dir: string,
    private readonly name: string,
  ) {}

  /** Where the copy of the log file at `path`, read next in `lane`, goes. */
  lane(lane: number, path: string): CopyTo {
    return (columns) => this.target(lane, path, columns);
  }

  private target(lane: number, path: string, columns: readonly HeaderColumn[]): CopyTarget {
    const key = spoolKey(path, columns);
    let spool = this.open.get(lane);
    if (spool?.key !== key) {
      spool?.stream.end();
      spool = this.create(key, path);
      this.open.set(lane, spool);
    }
    const file = spool;
    return {
      path: file.path,
      offset: file.records,
      write: (records) => file.error !== null || file.stream.write(records),
      // A failed stream closes instead of draining; close() reports its error.
      drained: () =>
        new Promise<void>((resolve) => {
          const done = () => {
            file.stream.off("drain", done).off("close", done);
            resolve();
          };
          file.stream.on("drain", done).on("close", done);
        }),
      done: (records) => (file.records += records),
    };
  }

  private create(key: string, path: string): SpoolFile {
    const date = pathDate(path);
    const below = date ? hiveFolders(date) : null;
    const folder = below ? join(this.dir, below) : this.dir;
    const spoolPath = join(folder, `${this.name}-${this.files.length}.log`);
    const error = below ? made(this.dir, below) : null; // on error the stream fails to open too
    // Written on the libuv pool (a synchronous write of every record cost a third of the pass).
    const stream = createWriteStream(spoolPath, { highWaterMark: 4 << 20 });
    const closed = new Promise<void>((resolve) => stream.once("close", () => resolve()));
    const file: SpoolFile = { key, path: spoolPath, stream, closed, records: 0, error };
    stream.on("error", (error) => (file.error ??= error));
    this.files.push(file);
    return file;
  }

  /** Ends every spool file once its writes are done; rejects with the first write error. */
  async close(): Promise<void> {
    for (const file of this.open.values()) file.stream.end();
    this.open.clear();
    await Promise.all(this.files.map((f) => f.closed));
    const failed = this.files.find((f) => f.error !== null);
    if (failed)
      throw new EngineError(
        `cannot write the plain-text copy of the records to ${failed.path} (under TMPDIR): ${failed.error!.message}`,
      );
  }
}
