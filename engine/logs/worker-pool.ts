/**
 * The read's worker threads, started early: a command that will read text or gzip files starts them
 * before it loads DuckDB (~0.1 s of native module load on the main thread), so their own start-up
 * (a V8 isolate and the engine's modules each) runs beside it instead of after it. A light module: it
 * imports no engine code, so warming costs the caller nothing it would not pay anyway.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

/** Worker threads reading files at most (each also inflating on the libuv pool). */
export const MAX_THREADS = 4;

/** The worker's script; null when running from TypeScript sources without one (never in the CLI). */
export interface WorkerScript {
  readonly path: string;
  readonly execArgv: string[];
  readonly compiled: boolean;
}

export function workerScript(): WorkerScript | null {
  const js = join(__dirname, "prepare-worker.js");
  if (existsSync(js)) return { path: js, execArgv: [], compiled: true };
  const ts = join(__dirname, "prepare-worker.ts");
  // From the sources (Jest): ts-node, with swc, compiles the worker as it loads.
  if (existsSync(ts)) return { path: ts, execArgv: ["--require", "ts-node/register/transpile-only"], compiled: false };
  return null;
}

export function startWorker(script: WorkerScript): Worker {
  return new Worker(script.path, { execArgv: script.execArgv, env: { ...process.env, TS_NODE_SWC: "true" } });
}

let warm: Worker[] = [];

/**
 * Starts the default number of worker threads (compiled code only), unreferenced: unused, they keep
 * nothing alive, and a run that never reads a text file exits as before.
 */
export function warmWorkers(): void {
  const script = workerScript();
  if (!script?.compiled || warm.length > 0) return;
  warm = Array.from({ length: Math.min(MAX_THREADS, availableParallelism()) }, () => {
    const worker = startWorker(script);
    worker.unref();
    // A worker that fails before it is taken is dropped (a missed head start: prepareLogFiles starts
    // its own); after, prepareLogFiles' own handler hears it.
    worker.once("error", () => (warm = warm.filter((w) => w !== worker)));
    return worker;
  });
}

/** Up to `count` warm workers, now referenced (the caller terminates them); the rest are stopped. */
export function takeWarmWorkers(count: number): Worker[] {
  const taken = warm.slice(0, count);
  for (const worker of warm.slice(count)) void worker.terminate();
  warm = [];
  for (const worker of taken) worker.ref();
  return taken;
}
