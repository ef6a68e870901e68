import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { flowLogFields, type FlowLogFormatName } from "../../monitoring/flow-log-fields";
import { DEFAULT_STORAGE, type FlowLogStorage } from "../../monitoring/flow-log-storage";
import { convertToParquet } from "./convert-to-parquet";
import { extendRecord } from "./extended-fields";
import { s3LogKey } from "./s3-layout";
import { syntheticRecords } from "./synthetic-records";

const gzipAsync = promisify(gzip);

/** The VPC the generated extended records name. */
const GENERATED_VPC_ID = "vpc-0a1b2c3d4e5f60000";

export interface GenerateOptions {
  /** How many synthetic records (ignored with `source`). */
  readonly records: number;
  /** Records to write instead of synthetic ones (a scenario's), in start order. */
  readonly source?: Iterable<{ readonly line: string; readonly start: number }>;
  readonly outDir: string;
  readonly seed?: number;
  /** @default 2024-05-01T00:00:00Z */
  readonly start?: Date;
  /** The records' fields: the default format, or each record with the extended format's fields appended. @default "default" */
  readonly logFormat?: FlowLogFormatName;
  /** File format and prefixes, as the S3 destination's options. @default DEFAULT_STORAGE (plain text, daily, non-Hive) */
  readonly storage?: FlowLogStorage;
  /** @default 1000 */
  readonly recordsPerMinute?: number;
  /** Minutes of records per file, like the S3 destination's periodic delivery. @default 10 */
  readonly minutesPerFile?: number;
  readonly account?: string;
  readonly region?: string;
  /** Called after each file's records are handed to gzip, with the records so far (for a progress bar). */
  readonly onProgress?: (records: number) => void;
}

export interface GenerateResult {
  readonly files: string[];
  readonly records: number;
}

/**
 * Writes synthetic flow logs in the S3 layout of `storage`: gzip text with a header line, one file per
 * delivery window (Parquet: one file per folder, written from those).
 */
export async function generateLogs(options: GenerateOptions): Promise<GenerateResult> {
  const account = options.account ?? "123456789012";
  const region = options.region ?? "us-east-1";
  const minutesPerFile = options.minutesPerFile ?? 10;
  const startSeconds = Math.floor((options.start ?? new Date("2024-05-01T00:00:00Z")).getTime() / 60000) * 60;
  const storage = options.storage ?? DEFAULT_STORAGE;
  const parquet = storage.fileFormat === "parquet";
  const textDir = parquet ? mkdtempSync(join(tmpdir(), "flowlogs-generate-")) : options.outDir;
  const extended = options.logFormat === "extended";
  const fields = flowLogFields(options.logFormat ?? "default");
  const header = fields.map((f) => f.field).join(" ");
  const files: string[] = [];
  const pending = new Set<Promise<void>>();
  let lines: string[] = [header];
  let window = -1;
  let written = 0;
  const flush = async () => {
    if (lines.length <= 1) return;
    const key = s3LogKey(account, region, "fl-0123456789abcdef0", new Date(window * 1000), {
      ...storage,
      fileFormat: "plain-text",
    });
    const path = join(textDir, key);
    const body = lines.join("\n") + "\n";
    written += lines.length - 1;
    options.onProgress?.(written);
    lines = [header];
    files.push(path);
    // Compress on the thread pool, two files at a time.
    const job = gzipAsync(body).then((gz) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, gz);
    });
    pending.add(job);
    // Handled here (the error still reaches the caller through race/all below): no unhandled rejection.
    const done = () => pending.delete(job);
    job.then(done, done);
    if (pending.size >= 2) await Promise.race(pending);
  };
  const records =
    options.source ??
    syntheticRecords(options.records, {
      seed: options.seed ?? 1,
      startSeconds,
      recordsPerMinute: options.recordsPerMinute ?? 1000,
      account,
    });
  let count = 0;
  for (const record of records) {
    count++;
    // A delivery window's start; with per-hour folders, a file never spans two hours.
    let recordWindow =
      startSeconds + Math.floor((record.start - startSeconds) / (60 * minutesPerFile)) * 60 * minutesPerFile;
    if (storage.perHourPartition) recordWindow = Math.max(recordWindow, Math.floor(record.start / 3600) * 3600);
    if (recordWindow !== window) {
      await flush();
      window = recordWindow;
    }
    lines.push(extended ? extendRecord(record.line, { vpcId: GENERATED_VPC_ID, region }) : record.line);
  }
  await flush();
  await Promise.all(pending);
  if (!parquet) return { files: files.sort(), records: count };
  const parquetFiles = await convertToParquet(textDir, options.outDir, fields);
  rmSync(textDir, { recursive: true, force: true });
  return { files: parquetFiles, records: count };
}
