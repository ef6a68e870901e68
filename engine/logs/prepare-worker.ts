/** A worker thread of prepareLogFiles: prepares the files it is given, one answer per file. */
import { parentPort } from "node:worker_threads";
import { EngineError } from "../engine-error";
import { prepareFile } from "./prepare-file";
import type { PrepareAnswer, PrepareTask } from "./prepare-log-files";

parentPort!.on("message", (task: PrepareTask) => {
  prepareFile(task.file, task.use).then(
    (prepared) => parentPort!.postMessage({ index: task.index, prepared } satisfies PrepareAnswer),
    (error: unknown) =>
      parentPort!.postMessage({
        index: task.index,
        error: error instanceof Error ? error.message : String(error),
        userError: error instanceof EngineError,
      } satisfies PrepareAnswer),
  );
});
