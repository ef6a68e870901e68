import { SingleBar } from "cli-progress";

/** A progress bar for long local work; silent unless stderr is a terminal and not CI. */
export interface Progress {
  /** Sets how much is done. */
  update(done: number): void;
  /** Clears the bar, so the lines printed after it stand alone. */
  stop(): void;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

/** Whether a bar would be seen: a terminal on stderr, and not a CI log (where redraws are noise). */
export function showsProgress(stream: NodeJS.WriteStream = process.stderr, env = process.env): boolean {
  return stream.isTTY === true && !env.CI;
}

/** A bar over `total` units named `unit` ("records", "runs"), drawn on stderr at most 5 times a second. */
export function progressBar(label: string, total: number, unit: string): Progress {
  if (!showsProgress()) return SILENT;
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted}`,
    stream: process.stderr,
    fps: 5,
    clearOnComplete: true,
    hideCursor: true,
  });
  bar.start(total, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
