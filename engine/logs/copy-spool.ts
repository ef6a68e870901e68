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
  readonly path: string;
  readonly stream: WriteStream;
  records: number;
  error: Error | null;
}

/**
 * The plain-text copies of one thread's records, in a few append-only spool files instead of one per
 * log file: creating a file on ext4 took ~0.5 ms on the CI machine, 0.5 s of CPU for 1,000 log files
 * (docs/performance.md). A lane reads one log file at a time, so each log file's records are one run
 * of lines in its lane's spool file for its field order and date folder: `offset` and the count say
 * which. Copies of files in the S3 layout go under Hive-style folders of their date (hiveFolders).
 */
export class CopySpool {
  private readonly files = new Map<string, SpoolFile>();

  /** @param name unique among the spools writing to `dir` (the thread's) */
  constructor(
    private readonly dir: string,
    private readonly name: string,
  ) {}

  /** Where the copy of the log file at `path`, read next in `lane`, goes. */
  lane(lane: number, path: string): CopyTo {
    return (columns) => this.target(lane, path, columns);
  }

  private target(lane: number, path: string, columns: readonly HeaderColumn[]): CopyTarget {
    const key = `${lane}|${spoolKey(path, columns)}`;
    let file = this.files.get(key);
    if (!file) {
      const date = pathDate(path);
      const below = date ? hiveFolders(date) : null;
      const folder = below ? join(this.dir, below) : this.dir;
      const spoolPath = join(folder, `${this.name}-${this.files.size}.log`);
      const error = below ? made(this.dir, below) : null; // on error the stream fails to open too
      // Written on the libuv pool (a synchronous write of every record cost a third of the pass).
      const stream = createWriteStream(spoolPath, { highWaterMark: 4 << 20 });
      const created: SpoolFile = { path: spoolPath, stream, records: 0, error };
      stream.on("error", (error) => (created.error ??= error));
      this.files.set(key, (file = created));
    }
    const spool = file;
    return {
      path: spool.path,
      offset: spool.records,
      write: (records) => spool.error !== null || spool.stream.write(records),
      // A failed stream closes instead of draining; close() reports its error.
      drained: () =>
        new Promise<void>((resolve) => {
          spool.stream.once("drain", () => resolve());
          spool.stream.once("close", () => resolve());
        }),
      done: (records) => (spool.records += records),
    };
  }

  /** Ends every spool file once its writes are done; rejects with the first write error. */
  async close(): Promise<void> {
    const files = [...this.files.values()];
    await Promise.all(
      files.map((f) => {
        f.stream.end();
        return f.stream.closed ? undefined : new Promise<void>((resolve) => f.stream.once("close", () => resolve()));
      }),
    );
    const failed = files.find((f) => f.error !== null);
    if (failed)
      throw new EngineError(
        `cannot write the plain-text copy of the records to ${failed.path} (under TMPDIR): ${failed.error!.message}`,
      );
  }
}
