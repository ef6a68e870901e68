/**
 * `npm run bench:synth`: how fast the app synthesizes both stacks, side by side:
 * compiled JavaScript (what cdktf.json runs), the cdktf template's ts-node, and `cdktf synth` end to end.
 * Goals (issue): compiled app <= 1 s, and >= 5x faster than ts-node.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { median, repeat } from "./measure";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
const env = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" };

function row(label: string, seconds: number[]): number {
  const m = median(seconds);
  console.log(
    `${label.padEnd(44)} ${m.toFixed(2).padStart(6)} s  (median of ${seconds.length}: ${seconds.map((s) => s.toFixed(2)).join(", ")})`,
  );
  return m;
}

try {
  console.log(`Synthesizing both stacks (lab, state-backend) on ${cpus().length} cores\n`);
  const compiled = row(
    "node dist/main.js (compiled, cdktf.json app)",
    repeat(RUNS, "node dist/main.js 2>/dev/null", env).map((m) => m.seconds),
  );
  const tsNode = row(
    "npx ts-node main.ts (cdktf template default)",
    repeat(Math.min(RUNS, 3), "npx ts-node main.ts 2>/dev/null", env).map((m) => m.seconds),
  );
  const cli = row(
    "npx cdktf synth (CLI end to end)",
    repeat(Math.min(RUNS, 3), "npx cdktf synth >/dev/null 2>&1", env).map((m) => m.seconds),
  );
  const speedup = tsNode / compiled;
  console.log(
    `\ncompiled app vs ts-node: ${speedup.toFixed(1)}x faster (goal >= 5x): ${speedup >= 5 ? "met" : "NOT met"}`,
  );
  console.log(`compiled app: ${compiled.toFixed(2)} s (goal <= 1 s): ${compiled <= 1 ? "met" : "NOT met"}`);
  console.log(`CLI overhead over the compiled app: ${(cli - compiled).toFixed(2)} s`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
