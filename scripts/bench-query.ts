import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { compilePattern } from "../engine/filter-pattern";
import { convertToParquet } from "../engine/generate/convert-to-parquet";
import { generateLogs } from "../engine/generate/write-generated-logs";
import { resolveLogPaths } from "../engine/logs/resolve-log-paths";
import { progressBar, type Progress } from "../engine/output/progress";
import { PING_DENY_FILTER } from "../monitoring/ping-deny";
import { FLOW_LOG_FIELDS } from "../monitoring/flow-log-fields";

// dist/scripts/bench-query.js -> the package root; data goes to the git-ignored bench-data/.
const root = join(__dirname, "..", "..");
const RECORDS = Number(process.env.BENCH_RECORDS ?? 10_000_000);
const textDir = join(root, "bench-data", `${RECORDS}`, "text");
const parquetDir = join(root, "bench-data", `${RECORDS}`, "parquet");
const cli = join(root, "dist", "cli", "flowlogs.js");

/** Generates the records once; a marker file says the set is complete. */
async function ensureData(): Promise<void> {
  const marker = join(root, "bench-data", `${RECORDS}`, "complete");
  if (existsSync(marker)) return;
  const t = Date.now();
  process.stdout.write(`generating ${RECORDS} records (once) ...\n`);
  const progress = progressBar("generate", RECORDS, "records");
  await generateLogs({ records: RECORDS, outDir: textDir, seed: 42, onProgress: (n) => progress.update(n) }).finally(
    () => progress.stop(),
  );
  await convertToParquet(textDir, parquetDir, FLOW_LOG_FIELDS);
  writeFileSync(marker, new Date().toISOString());
  process.stdout.write(`generated in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
}

function rssOfTree(pid: number): number {
  let total = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    for (const child of children ? children.split(" ") : []) total += rssOfTree(Number(child));
  } catch {
    // The process ended between two reads.
  }
  return total;
}

interface Run {
  readonly seconds: number;
  readonly peakBytes: number;
  readonly stdout: string;
}

/** Runs a command, sampling the resident memory of its whole process tree (a pipeline counts in full). */
function measure(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    // stderr is kept (not shown) so the progress bar stays on one line; a failure prints it.
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    let peakBytes = 0;
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const timer = setInterval(() => (peakBytes = Math.max(peakBytes, rssOfTree(child.pid!))), 20);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code !== 0) reject(new Error(`${command} exited with ${code}:\n${stderr}`));
      else resolve({ seconds, peakBytes, stdout });
    });
  });
}

/** Counts finished runs on a progress bar (silent off a terminal). */
let runsDone = 0;
let runsBar: Progress = { update: () => {}, stop: () => {} };

/** The fastest of `rounds` runs (and the highest peak memory seen): less noise from the rest of the machine. */
async function fastestOf(rounds: number, run: () => Promise<Run>): Promise<Run> {
  let fastest: Run | undefined;
  let peakBytes = 0;
  for (let i = 0; i < rounds; i++) {
    const r = await run();
    runsBar.update(++runsDone);
    peakBytes = Math.max(peakBytes, r.peakBytes);
    if (!fastest || r.seconds < fastest.seconds) fastest = r;
  }
  return { ...fastest!, peakBytes };
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const GIB = 2 ** 30;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const perSecond = (n: number, seconds: number) => `${(n / seconds / 1e6).toFixed(2)} M/s`;

function row(label: string, run: Run, count: number): void {
  process.stdout.write(
    `${label.padEnd(44)} ${run.seconds.toFixed(2).padStart(7)} s  ${perSecond(RECORDS, run.seconds).padStart(10)} records  peak ${mib(run.peakBytes).padStart(8)}  count ${count}\n`,
  );
}

function patternThroughput(): void {
  // Real lines from the generated files, held in memory: this times the matcher, not gunzip.
  const lines: string[] = [];
  for (const file of resolveLogPaths([textDir])) {
    lines.push(...gunzipSync(readFileSync(file.path)).toString("utf8").split("\n").slice(1).filter(Boolean));
    if (lines.length >= 1_000_000) break;
  }
  const pattern = compilePattern(PING_DENY_FILTER.pattern);
  let best = 0;
  let matches = 0;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    matches = 0;
    for (let i = 0; i < lines.length; i++) if (pattern.matches(lines[i])) matches++;
    best = Math.max(best, lines.length / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  process.stdout.write(
    `filter pattern (deployed ping-deny) on ${lines.length} lines: ${(best / 1e6).toFixed(2)} M lines/s (best of 5), ${matches} matches\n`,
  );
}

async function main(): Promise<void> {
  await ensureData();
  const files = resolveLogPaths([textDir]).map((f) => f.path);
  process.stdout.write(
    `\n${RECORDS} records in ${files.length} gzip files; ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} at start; best of ${ROUNDS} runs; ${process.env.BENCH_NOTE ?? ""}\n`,
  );
  // Five measurements of ROUNDS runs each; their rows are printed once the bar is gone.
  runsBar = progressBar("bench", 8 * ROUNDS, "runs");
  // The floor: inflating every file and nothing else, one zcat per CPU.
  const floor = await fastestOf(ROUNDS, () =>
    measure("bash", [
      "-c",
      `find '${textDir}' -name '*.log.gz' -print0 | xargs -0 -P${cpus().length} -n 50 zcat > /dev/null`,
    ]),
  );
  const sql = "SELECT count(*) AS n FROM vpc_flow_log WHERE action = 'REJECT'";
  const count = (...extra: string[]) =>
    fastestOf(ROUNDS, () =>
      measure(process.execPath, [cli, "query", "--sql", sql, "--logs", textDir, "--format", "csv", ...extra]),
    );
  const duck = await count();
  const awk = await fastestOf(ROUNDS, () =>
    measure("bash", ["-c", `find '${textDir}' -name '*.log.gz' -print0 | xargs -0 zcat | awk '$13=="REJECT"' | wc -l`]),
  );
  const topTalkers = (dir: string) =>
    fastestOf(ROUNDS, () =>
      measure(process.execPath, [cli, "query", "top-talkers", "--logs", dir, "--format", "json"]),
    );
  const topText = await topTalkers(textDir);
  const topParquet = await topTalkers(parquetDir);
  const replay = await fastestOf(ROUNDS, () =>
    measure(process.execPath, [cli, "replay", "--logs", textDir, "--format", "json"]),
  );
  const detect = await fastestOf(ROUNDS, () =>
    measure(process.execPath, [cli, "detect", "--logs", textDir, "--format", "json"]),
  );
  // Start-up as the README says to run it (node on the compiled script; npx adds ~1.8 s of npm).
  const help = await fastestOf(ROUNDS, () => measure(process.execPath, [cli, "--help"]));
  runsBar.stop();
  const duckCount = Number(duck.stdout.trim().split("\n")[1]);
  const awkCount = Number(awk.stdout.trim());
  row(`gunzip floor (xargs -P${cpus().length} zcat > /dev/null)`, floor, 0);
  row("flowlogs query (count REJECT)", duck, duckCount);
  row("zcat | awk '$13==\"REJECT\"' | wc -l", awk, awkCount);
  if (duckCount !== awkCount) throw new Error(`counts differ: flowlogs ${duckCount}, awk ${awkCount}`);
  const ratio = duck.seconds / floor.seconds;
  process.stdout.write(
    `counts agree; flowlogs ${ratio.toFixed(2)}x the gunzip floor (goal 1.5x: ${ratio <= 1.5 ? "met" : "NOT met"}), ` +
      `${(awk.seconds / duck.seconds).toFixed(2)}x the speed of awk (${duck.seconds < awk.seconds ? "faster" : "NOT faster"}); ` +
      `peak ${mib(duck.peakBytes)}: ${duck.peakBytes < GIB ? "under" : "NOT under"} 1 GiB\n\n`,
  );
  row("top-talkers on gzip text", topText, JSON.parse(topText.stdout).length);
  row("top-talkers on Parquet", topParquet, JSON.parse(topParquet.stdout).length);
  if (topText.stdout !== topParquet.stdout) throw new Error("top-talkers differs between text and Parquet");
  const underHalf = Math.max(topText.peakBytes, topParquet.peakBytes) < GIB / 2;
  process.stdout.write(`top-talkers results agree; peak under 512 MiB: ${underHalf ? "met" : "NOT met"}\n\n`);
  row("replay (deployed ping-deny filter and alarm)", replay, JSON.parse(replay.stdout).datapoints.length);
  process.stdout.write(
    `replay ${perSecond(RECORDS, replay.seconds)} records (goal 1.5 M/s: ${RECORDS / replay.seconds >= 1.5e6 ? "met" : "NOT met"})\n`,
  );
  row("detect (every detection of the catalogue)", detect, JSON.parse(detect.stdout).length);
  process.stdout.write(
    `detect ${perSecond(RECORDS, detect.seconds)} records, peak ${mib(detect.peakBytes)} (goal 1.5 M/s and under 1 GiB: ${RECORDS / detect.seconds >= 1.5e6 && detect.peakBytes < GIB ? "met" : "NOT met"})\n`,
  );
  process.stdout.write(
    `start-up: node dist/cli/flowlogs.js --help ${help.seconds.toFixed(2)} s (goal 0.3 s: ${help.seconds <= 0.3 ? "met" : "NOT met"})\n\n`,
  );
  patternThroughput();
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exitCode = 1;
});
