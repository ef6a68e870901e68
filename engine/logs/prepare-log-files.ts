import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
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
   * Worker threads sorting lines (each also inflating on the libuv pool). 0: all on this thread.
   * @default the CPUs (at most 4) when there are at least 4 files and the code is compiled, else 0
   */
  readonly threads?: number;
}

/** A task for a worker thread (a file, read in one of its lanes, or the end: close the spool), and its answers. */
export type PrepareTask =
  | { readonly index: number; readonly file: LogFile; readonly use: RecordUse; readonly lane: number }
  | { readonly close: true };
export type PrepareAnswer =
  | { readonly index: number; readonly prepared: PreparedFile }
  | { readonly closed: true }
  | { readonly index?: number; readonly error: string; readonly userError: boolean };
/** What a worker thread is started with. */
export interface PrepareWorkerData {
  readonly spoolDir?: string;
  /** Its spool files' name (unique among the threads). */
  readonly name: string;
}

/** Files each thread works on at once: one inflating on the pool while its lines are sorted. */
const PER_THREAD = 2;

/**
 * Reads each text and gzip file once (prepareFile) and returns what each held, in the files' order.
 * Sorting lines costs about as much CPU as inflating them, so on more than one core the files are
 * spread over worker threads: measured on 2 cores, 10 million records took 4.5 s on one thread.
 */
export async function prepareLogFiles(files: readonly LogFile[], options: PrepareOptions): Promise<PreparedFile[]> {
  const use: RecordUse = { replay: options.replay, keep: options.keep };
  const tasks = files.map((file, index) => ({ index, file }));
  const script = workerScript();
  // From the sources (tests), worker threads start slowly (ts-node compiles them): only when asked for.
  const byDefault = script?.compiled && files.length >= 4 ? Math.min(4, availableParallelism()) : 0;
  const threads = Math.min(options.threads ?? byDefault, files.length);
  if (threads < 2 || script === null) return inThisThread(tasks, use, options.spoolDir);
  return inWorkers(tasks, use, options.spoolDir, threads, script);
}

interface FileTask {
  readonly index: number;
  readonly file: LogFile;
}

async function inThisThread(tasks: readonly FileTask[], use: RecordUse, spoolDir?: string): Promise<PreparedFile[]> {
  const spool = spoolDir === undefined ? null : new CopySpool(spoolDir, "main");
  const prepared: PreparedFile[] = new Array(tasks.length);
  let next = 0;
  const lane = async (lane: number) => {
    while (next < tasks.length) {
      const { index, file } = tasks[next++];
      prepared[index] = await prepareFile(file, use, spool?.lane(lane, file.path));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PER_THREAD + 1, tasks.length) }, (_, i) => lane(i)));
  await spool?.close();
  return prepared;
}

/** The worker's compiled script; null when running from TypeScript sources (tests), where there is none. */
interface WorkerScript {
  readonly path: string;
  readonly execArgv: string[];
  readonly compiled: boolean;
}

function workerScript(): WorkerScript | null {
  const js = join(__dirname, "prepare-worker.js");
  if (existsSync(js)) return { path: js, execArgv: [], compiled: true };
  const ts = join(__dirname, "prepare-worker.ts");
  // From the sources (Jest): ts-node, with swc, compiles the worker as it loads.
  if (existsSync(ts)) return { path: ts, execArgv: ["--require", "ts-node/register/transpile-only"], compiled: false };
  return null;
}

/**
 * Each worker thread reads PER_THREAD files at a time, one per lane; a lane gets its next file when
 * its file is done. At the end each closes its spool (its copies are then complete on disk).
 */
function inWorkers(
  tasks: readonly FileTask[],
  use: RecordUse,
  spoolDir: string | undefined,
  threads: number,
  script: WorkerScript,
): Promise<PreparedFile[]> {
  return new Promise((resolve, reject) => {
    const prepared: PreparedFile[] = new Array(tasks.length);
    const workers: Worker[] = [];
    const laneOf = new Map<number, number>();
    let next = 0;
    let done = 0;
    let closed = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(prepared);
    };
    const give = (worker: Worker, lane: number) => {
      if (next >= tasks.length) return;
      const { index, file } = tasks[next++];
      laneOf.set(index, lane);
      worker.postMessage({ index, file, use, lane } satisfies PrepareTask);
    };
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(script.path, {
        execArgv: script.execArgv,
        env: { ...process.env, TS_NODE_SWC: "true" },
        workerData: { spoolDir, name: `thread${i}` } satisfies PrepareWorkerData,
      });
      workers.push(worker);
      worker.on("message", (answer: PrepareAnswer) => {
        if ("error" in answer) {
          finish(answer.userError ? new EngineError(answer.error) : new Error(answer.error));
        } else if ("closed" in answer) {
          if (++closed === threads) finish();
        } else {
          prepared[answer.index] = answer.prepared;
          if (++done === tasks.length) for (const w of workers) w.postMessage({ close: true } satisfies PrepareTask);
          else give(worker, laneOf.get(answer.index)!);
        }
      });
      worker.on("error", (error) => finish(error));
      for (let lane = 0; lane < PER_THREAD; lane++) give(worker, lane);
    }
  });
}
