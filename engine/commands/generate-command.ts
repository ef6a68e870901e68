import { existsSync, statSync } from "node:fs";
import { EngineError } from "../engine-error";
import { generateLogs } from "../generate/write-generated-logs";
import { progressBar } from "../output/progress";
import type { CommandIo } from "./io";

export interface GenerateCommandOptions {
  readonly records: string;
  readonly out: string;
  readonly seed?: string;
  readonly start?: string;
  readonly format?: string;
  readonly perMinute?: string;
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new EngineError(`--${name}: got ${JSON.stringify(value)}, expected a positive integer`);
  return n;
}

/** `flowlogs generate`: synthetic, reproducible flow logs in the S3 layout. */
export async function generateCommand(options: GenerateCommandOptions, io: CommandIo): Promise<number> {
  const start = options.start === undefined ? undefined : new Date(options.start);
  if (start && Number.isNaN(start.getTime()))
    throw new EngineError(`--start: got ${JSON.stringify(options.start)}, expected an ISO date`);
  const format = options.format ?? "text";
  if (format !== "text" && format !== "parquet")
    throw new EngineError(`--format: got ${JSON.stringify(format)}, expected text or parquet`);
  if (existsSync(options.out) && !statSync(options.out).isDirectory())
    throw new EngineError(`--out: ${options.out} is a file, expected a folder (created when missing)`);
  const records = positiveInt("records", options.records);
  const recordsPerMinute = options.perMinute === undefined ? undefined : positiveInt("per-minute", options.perMinute);
  const progress = progressBar("generate", records, "records");
  const result = await generateLogs({
    records,
    outDir: options.out,
    seed: options.seed === undefined ? undefined : Number(options.seed),
    start,
    format,
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
  io.err(
    `flowlogs: wrote ${result.records} records in ${result.files.length} file${result.files.length === 1 ? "" : "s"} under ${options.out}\n`,
  );
  return 0;
}
