import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fork, type ChildProcess } from "node:child_process";
import { EngineError } from "../engine-error";
import type { ReplaySpec } from "../replay/replay-tap";
import { CopySpool } from "./copy-spool";
import { prepareFile, type PreparedFile, type RecordUse } from "./prepare-file";
import type { LogFile } from "./resolve-log-paths";

export type { PreparedFile } from "./prepare-file";

export interface PrepareOptions {
  /** The folder the plain-text copies of the records go to (the caller removes it); none are written when unset. */
  readonly spoolDir?: string;
  /** Run these metric filters over every record as it is read (replay, detect). */
  readonly replay?: ReplaySpec;
  /** The only columns the copies need (RecordUse.keep); all when unset. */
  readonly keep?: readonly string[];
  /**
   * Reader processes sorting lines (each also inflating on its libuv pool). 0: all in this process.
   * @default the CPUs (at most MAX_READERS) when there are at least 4 files and the code is compiled, else 0
   */
  readonly readers?: number;
}

/** A task for a reader process (a file, read in one of its lanes, or the end: close the spool), and its answers. */
export type PrepareTask =
  | { readonly index: number; readonly file: LogFile; readonly use: RecordUse; readonly lane: number }
  | { readonly close: true };
export type PrepareAnswer =
  | { readonly index: number; readonly prepared: PreparedFile }
  | { readonly closed: true }
  | { readonly index?: number; readonly error: string; readonly userError: boolean };
/** What a reader process is started with (its one argument, as JSON). */
export interface ReaderData {
  readonly spoolDir?: string;
  /** Its spool files' name (unique among the readers). */
  readonly name: string;
}

/** Reader processes at most: the worker threads' limit before them (no machine with more cores was measured). */
const MAX_READERS = 4;

/** Files each reader works on at once: one inflating on the pool while its lines are sorted. */
const PER_READER = 2;

/**
 * Reads each text and gzip file once (prepareFile) and returns what each held, in the files' order.
 * Sorting lines costs about as much CPU as inflating them, so on more than one core the files are
 * spread over reader processes: measured on 2 cores, 10 million records took 4.5 s in one thread.
 * Processes rather than worker threads: the ~130 MiB the C library kept of a read in worker threads
 * stayed in the process through the query (top-talkers' peak); a process gives it all back, and
 * started as fast (docs/performance.md).
 */
export async function prepareLogFiles(files: readonly LogFile[], options: PrepareOptions): Promise<PreparedFile[]> {
  const use: RecordUse = { replay: options.replay, keep: options.keep };
  const tasks = files.map((file, index) => ({ index, file }));
  const script = readerScript();
  // From the sources (tests), readers start slowly (ts-node compiles them): only when asked for.
  const byDefault = script?.compiled && files.length >= 4 ? Math.min(MAX_READERS, availableParallelism()) : 0;
  const readers = Math.min(options.readers ?? byDefault, files.length);
  if (readers < 2 || script === null) return inThisProcess(tasks, use, options.spoolDir);
  return inReaders(tasks, use, options.spoolDir, readers, script);
}

interface FileTask {
  readonly index: number;
  readonly file: LogFile;
}

async function inThisProcess(tasks: readonly FileTask[], use: RecordUse, spoolDir?: string): Promise<PreparedFile[]> {
  const spool = spoolDir === undefined ? null : new CopySpool(spoolDir, "main");
  const prepared: PreparedFile[] = new Array(tasks.length);
  let next = 0;
  const lane = async (lane: number) => {
    while (next < tasks.length) {
      const { index, file } = tasks[next++];
      prepared[index] = await prepareFile(file, use, spool?.lane(lane, file.path));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(PER_READER + 1, tasks.length) }, (_, i) => lane(i)));
  } catch (error) {
    await spool?.close().catch(() => {}); // the first error is the one to report
    throw error;
  }
  await spool?.close();
  return prepared;
}

/** The reader's compiled script, or its TypeScript source (tests); null when neither is there. */
interface ReaderScript {
  readonly path: string;
  readonly execArgv: string[];
  readonly compiled: boolean;
}

function readerScript(): ReaderScript | null {
  const js = join(__dirname, "prepare-reader.js");
  if (existsSync(js)) return { path: js, execArgv: [], compiled: true };
  const ts = join(__dirname, "prepare-reader.ts");
  // From the sources (Jest): ts-node, with swc, compiles the reader as it loads.
  if (existsSync(ts)) return { path: ts, execArgv: ["--require", "ts-node/register/transpile-only"], compiled: false };
  return null;
}

/**
 * Each reader reads PER_READER files at a time, one per lane; a lane gets its next file when its file
 * is done. At the end each closes its spool (its copies are then complete on disk) and exits.
 */
function inReaders(
  tasks: readonly FileTask[],
  use: RecordUse,
  spoolDir: string | undefined,
  count: number,
  script: ReaderScript,
): Promise<PreparedFile[]> {
  return new Promise((resolve, reject) => {
    const prepared: PreparedFile[] = new Array(tasks.length);
    const readers: ChildProcess[] = [];
    const laneOf = new Map<number, number>();
    let next = 0;
    let done = 0;
    let closed = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const r of readers) if (r.connected) r.disconnect(); // the reader exits (prepare-reader.ts)
      if (error) reject(error);
      else resolve(prepared);
    };
    const give = (reader: ChildProcess, lane: number) => {
      if (next >= tasks.length) return;
      const { index, file } = tasks[next++];
      laneOf.set(index, lane);
      reader.send({ index, file, use, lane } satisfies PrepareTask);
    };
    for (let i = 0; i < count; i++) {
      const reader = fork(script.path, [JSON.stringify({ spoolDir, name: `reader${i}` } satisfies ReaderData)], {
        execArgv: script.execArgv,
        // Maps (replay's pair counts) cross as they are, as between worker threads.
        serialization: "advanced",
        // Nothing a reader could print may land in the results on stdout; its warnings go to stderr.
        stdio: ["ignore", "ignore", "inherit", "ipc"],
        // One pool thread inflates while the reader sorts lines: its two lanes keep both busy.
        env: { ...process.env, TS_NODE_SWC: "true", UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? "1" },
      });
      readers.push(reader);
      reader.on("message", (answer: PrepareAnswer) => {
        if ("error" in answer) {
          finish(answer.userError ? new EngineError(answer.error) : new Error(answer.error));
        } else if ("closed" in answer) {
          if (++closed === count) finish();
        } else {
          prepared[answer.index] = answer.prepared;
          if (++done === tasks.length) for (const r of readers) r.send({ close: true } satisfies PrepareTask);
          else give(reader, laneOf.get(answer.index)!);
        }
      });
      reader.on("error", (error) => finish(error));
      reader.on("exit", (code, signal) => {
        if (closed < count) finish(new Error(`a reader process ended early (${signal ?? `exit code ${code}`})`));
      });
      for (let lane = 0; lane < PER_READER; lane++) give(reader, lane);
    }
  });
}
