/** Steps of the emulator run: each timed, its outcome kept for the summary; commands with their output shown. */
import { spawnSync } from "node:child_process";

export interface StepResult {
  readonly step: string;
  readonly seconds: number;
  readonly ok: boolean;
  readonly detail: string;
}

export class Steps {
  readonly results: StepResult[] = [];
  private readonly startedAt = Date.now();

  /** Runs one step; a failure is recorded (with its message) and returns false, so later steps can still report. */
  async run(name: string, body: () => Promise<string> | string): Promise<boolean> {
    const started = Date.now();
    // Where the run is: the step's number and the time since the run began (steps print their output when done).
    const clock = new Date(Date.now() - this.startedAt).toISOString().slice(11, 19);
    process.stdout.write(`\n=== ${this.results.length + 1}. ${name}  (${clock})\n`);
    try {
      const detail = await body();
      this.results.push({ step: name, seconds: (Date.now() - started) / 1000, ok: true, detail });
      return true;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.results.push({ step: name, seconds: (Date.now() - started) / 1000, ok: false, detail });
      process.stdout.write(`FAILED: ${detail}\n`);
      return false;
    }
  }

  /** Prints the summary; returns the exit code (0 when every step passed). */
  summary(): number {
    process.stdout.write("\n=== e2e summary\n");
    for (const r of this.results) {
      const detail = r.ok && r.detail ? `: ${r.detail.split("\n")[0]}` : "";
      process.stdout.write(`${r.ok ? "PASS" : "FAIL"}  ${r.seconds.toFixed(1).padStart(6)} s  ${r.step}${detail}\n`);
    }
    const failed = this.results.filter((r) => !r.ok).length;
    const total = this.results.reduce((sum, r) => sum + r.seconds, 0);
    process.stdout.write(`${this.results.length - failed} passed, ${failed} failed, ${total.toFixed(0)} s\n`);
    return failed === 0 ? 0 : 1;
  }
}

/** Runs a command with its output shown (the tail); throws with the tail when it fails. */
export function sh(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 1 << 28 });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  process.stdout.write(output.split("\n").slice(-40).join("\n") + "\n");
  if (result.status !== 0) {
    const tail = output.split("\n").slice(-25).join("\n");
    throw new Error(`${command} ${args.join(" ")} exited ${result.status ?? result.signal}:\n${tail}`);
  }
  return output;
}

/** The last line a command printed (scripts that print a path or URL last). */
export function lastLine(output: string): string {
  return output.trim().split("\n").pop() ?? "";
}
