import { existsSync, statSync } from "node:fs";
import { FLOW_LOG_FORMATS, type FlowLogFormatName } from "../../monitoring/flow-log-fields";
import { EngineError } from "../engine-error";
import { scenario, SCENARIOS, type Scenario, type ScenarioName } from "../generate/scenarios";
import { generateLogs } from "../generate/write-generated-logs";
import { progressBar } from "../output/progress";
import type { CommandIo } from "./io";

export interface GenerateCommandOptions {
  /** Synthetic records to write; or give `scenario`. */
  readonly records?: string;
  /** A scenario with known answers (SCENARIOS) instead of synthetic records. */
  readonly scenario?: string;
  readonly out: string;
  readonly seed?: string;
  readonly start?: string;
  /** File format: text (gzip) or parquet. */
  readonly format?: string;
  /** The records' fields: default or extended (LAB_FLOW_LOG_FORMAT's values). */
  readonly logFormat?: string;
  readonly hivePartitions?: boolean;
  readonly perHour?: boolean;
  readonly perMinute?: string;
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new EngineError(`--${name}: got ${JSON.stringify(value)}, expected a positive integer`);
  return n;
}

function wholeNumber(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isSafeInteger(n) || n < 0)
    throw new EngineError(`--${name}: got ${JSON.stringify(value)}, expected a whole number`);
  return n;
}

function scenarioOf(name: string, start: Date | undefined, seed: number | undefined): Scenario {
  if (!(SCENARIOS as readonly string[]).includes(name))
    throw new EngineError(`--scenario: got ${JSON.stringify(name)}, expected one of ${SCENARIOS.join(", ")}`);
  const startSeconds = Math.floor((start ?? new Date("2024-05-01T00:00:00Z")).getTime() / 1000);
  return scenario(name as ScenarioName, startSeconds, seed);
}

/** `flowlogs generate`: synthetic, reproducible flow logs in the S3 layout. */
export async function generateCommand(options: GenerateCommandOptions, io: CommandIo): Promise<number> {
  const start = options.start === undefined ? undefined : new Date(options.start);
  if (start && Number.isNaN(start.getTime()))
    throw new EngineError(`--start: got ${JSON.stringify(options.start)}, expected an ISO date`);
  const format = options.format ?? "text";
  if (format !== "text" && format !== "parquet")
    throw new EngineError(`--format: got ${JSON.stringify(format)}, expected text or parquet`);
  const logFormat = options.logFormat ?? "default";
  if (!(FLOW_LOG_FORMATS as readonly string[]).includes(logFormat))
    throw new EngineError(`--log-format: got ${JSON.stringify(logFormat)}, expected ${FLOW_LOG_FORMATS.join(" or ")}`);
  if (existsSync(options.out) && !statSync(options.out).isDirectory())
    throw new EngineError(`--out: ${options.out} is a file, expected a folder (created when missing)`);
  if ((options.records === undefined) === (options.scenario === undefined))
    throw new EngineError("give --records <n> or --scenario <name>, not both");
  const seed = options.seed === undefined ? undefined : wholeNumber("seed", options.seed);
  const chosen = options.scenario === undefined ? undefined : scenarioOf(options.scenario, start, seed);
  const records = chosen ? chosen.records.length : positiveInt("records", options.records!);
  const recordsPerMinute = options.perMinute === undefined ? undefined : positiveInt("per-minute", options.perMinute);
  const progress = progressBar("generate", records, "records");
  const result = await generateLogs({
    records,
    source: chosen?.records,
    outDir: options.out,
    seed,
    start,
    logFormat: logFormat as FlowLogFormatName,
    storage: {
      fileFormat: format === "parquet" ? "parquet" : "plain-text",
      hiveCompatiblePartitions: options.hivePartitions ?? false,
      perHourPartition: options.perHour ?? false,
    },
    recordsPerMinute,
    onProgress: (n) => progress.update(n),
  })
    .catch((error: NodeJS.ErrnoException) => {
      // What a user can cause (a path through a file, no permission, a full disk) is one line, exit 2.
      if (error.code && ["EACCES", "EPERM", "ENOTDIR", "EEXIST", "ENOSPC", "EROFS"].includes(error.code))
        throw new EngineError(`--out: cannot write under ${options.out}: ${error.message}`);
      throw error;
    })
    .finally(() => progress.stop());
  for (const i of chosen?.incidents ?? [])
    io.err(
      `flowlogs: incident: ${i.detection}, ${i.source ? `${i.source} -> ${i.target}, ${i.records} records` : "no records"} from ${new Date(i.firstMinute * 1000).toISOString()} to ${new Date((i.lastMinute + 60) * 1000).toISOString()}\n`,
    );
  io.err(
    `flowlogs: wrote ${result.records} records in ${result.files.length} file${result.files.length === 1 ? "" : "s"} under ${options.out}\n`,
  );
  return 0;
}
