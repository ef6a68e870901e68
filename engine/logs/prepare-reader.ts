/**
 * A reader process of prepareLogFiles: prepares the files it is sent, one answer per file, then
 * closes its spool and exits. A process, not a worker thread, so that the memory the read took goes
 * back to the system when it ends (docs/performance.md).
 */
import { EngineError } from "../engine-error";
import { CopySpool } from "./copy-spool";
import { prepareFile } from "./prepare-file";
import type { PrepareAnswer, PrepareTask, ReaderData } from "./prepare-log-files";

const { spoolDir, name } = JSON.parse(process.argv[2]) as ReaderData;
const spool = spoolDir === undefined ? null : new CopySpool(spoolDir, name);
// Once the run has ended (another reader failed, or Ctrl-C), an answer has no one to go to: dropped.
const answer = (message: PrepareAnswer) => process.connected && process.send!(message, () => {});

const failure = (error: unknown, index?: number): PrepareAnswer => ({
  ...(index === undefined ? {} : { index }),
  error: error instanceof Error ? error.message : String(error),
  userError: error instanceof EngineError,
});

process.on("message", (task: PrepareTask) => {
  if ("close" in task) {
    (spool?.close() ?? Promise.resolve()).then(
      () => answer({ closed: true }),
      (error: unknown) => answer(failure(error)),
    );
    return;
  }
  prepareFile(task.file, task.use, spool?.lane(task.lane, task.file.path)).then(
    (prepared) => answer({ index: task.index, prepared }),
    (error: unknown) => answer(failure(error, task.index)),
  );
});
// The run ended (done, failed or interrupted): nothing is waiting for this process any more.
process.on("disconnect", () => process.exit());
