/** Small helpers for the benchmark scripts: run a command, time it, read its peak memory. */
import { spawnSync } from "node:child_process";

export interface Measurement {
  readonly seconds: number;
  /** Peak resident memory in MiB (from GNU time), when available. */
  readonly peakMiB?: number;
  readonly stdout: string;
}

const GNU_TIME = "/usr/bin/time";

/** Runs a shell command; fails loudly if it exits non-zero, because a benchmark of a failure means nothing. */
export function measure(command: string, env: NodeJS.ProcessEnv = process.env): Measurement {
  const useGnuTime = spawnSync(GNU_TIME, ["-f", "%M", "true"]).status === 0;
  const started = process.hrtime.bigint();
  const result = useGnuTime
    ? spawnSync(GNU_TIME, ["-f", "__PEAK_KB__%M", "sh", "-c", command], { env, encoding: "utf8", maxBuffer: 1 << 28 })
    : spawnSync("sh", ["-c", command], { env, encoding: "utf8", maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`benchmark command failed (exit ${result.status}): ${command}\n${result.stderr}`);
  }
  const peak = /__PEAK_KB__(\d+)/.exec(result.stderr ?? "");
  return { seconds, peakMiB: peak ? Number(peak[1]) / 1024 : undefined, stdout: result.stdout };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function repeat(times: number, command: string, env?: NodeJS.ProcessEnv): Measurement[] {
  return Array.from({ length: times }, () => measure(command, env));
}
