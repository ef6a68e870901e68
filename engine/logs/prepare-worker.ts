/** A worker thread of prepareLogFiles: prepares the files it is given, one answer per file, then closes its spool. */
import { parentPort, workerData } from "node:worker_threads";
import { EngineError } from "../engine-error";
import { CopySpool } from "./copy-spool";
import { prepareFile } from "./prepare-file";
import type { PrepareAnswer, PrepareTask, PrepareWorkerData } from "./prepare-log-files";

const { spoolDir, name } = workerData as PrepareWorkerData;
const spool = spoolDir === undefined ? null : new CopySpool(spoolDir, name);

const failure = (error: unknown, index?: number): PrepareAnswer => ({
  ...(index === undefined ? {} : { index }),
  error: error instanceof Error ? error.message : String(error),
  userError: error instanceof EngineError,
});

parentPort!.on("message", (task: PrepareTask) => {
  if ("close" in task) {
    (spool?.close() ?? Promise.resolve()).then(
      () => parentPort!.postMessage({ closed: true } satisfies PrepareAnswer),
      (error: unknown) => parentPort!.postMessage(failure(error)),
    );
    return;
  }
  prepareFile(task.file, task.use, spool?.lane(task.lane, task.file.path)).then(
    (prepared) => parentPort!.postMessage({ index: task.index, prepared } satisfies PrepareAnswer),
    (error: unknown) => parentPort!.postMessage(failure(error, task.index)),
  );
});
