import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { generateLogs, type GenerateOptions } from "../../engine/generate/write-generated-logs";
import { DEFAULT_STORAGE } from "../../monitoring/flow-log-storage";

/** Reads generated gzip logs back with plain Node, independently of DuckDB: the records as field arrays. */
export function readRecords(root: string): string[][] {
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith(".log.gz")).sort();
  return files.flatMap((file) =>
    gunzipSync(readFileSync(join(root, file)))
      .toString("utf8")
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(" ")),
  );
}

// 2,000 records, one a minute: about 33 hours, 34 hourly files over three day partitions (a file never
// spans two hours, so the per-hour layout puts every record in the same day as the daily one).
const OPTIONS = {
  records: 2000,
  seed: 7,
  recordsPerMinute: 1,
  minutesPerFile: 60,
  start: new Date("2024-05-01T23:00:00Z"),
} satisfies Omit<GenerateOptions, "outDir">;

export interface GeneratedLogs {
  /** Gzip text in the S3 layout. */
  readonly textDir: string;
  /** The same records as Parquet, one file per day. */
  readonly parquetDir: string;
  /** The same records in the extended format, as Parquet under Hive-compatible per-hour prefixes (every option at once). */
  readonly extendedDir: string;
}

/** The storage of `extendedDir`: every option that is not the walkthrough's. */
export const EXTENDED_STORAGE = {
  fileFormat: "parquet",
  hiveCompatiblePartitions: true,
  perHourPartition: true,
} as const;

/**
 * The generator's sources, the formats' and this file's: the cache key, so that a change to any of
 * them regenerates the data.
 */
function generatorHash(): string {
  const hash = createHash("sha256").update(JSON.stringify(OPTIONS)).update(readFileSync(__filename));
  const root = join(__dirname, "..", "..");
  const dir = join(root, "engine", "generate");
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  for (const file of ["flow-log-fields.ts", "flow-log-storage.ts"])
    hash.update(file).update(readFileSync(join(root, "monitoring", file)));
  return hash.digest("hex").slice(0, 16);
}

/**
 * One generated data set for the engine's test files (Jest runs each file in its own module
 * registry, so the cache is on disk): generated once into the temp folder, keyed by the generator's
 * sources, and never written to by the tests.
 */
export function generatedLogs(): Promise<GeneratedLogs> {
  return (cached ??= generateOnce());
}
let cached: Promise<GeneratedLogs> | undefined;

async function generateOnce(): Promise<GeneratedLogs> {
  // Outside the run's own temp folder (__tests__/global/setup.ts), which is removed at the end.
  const cache = process.env.LAB_TEST_CACHE_DIR ?? tmpdir();
  const root = join(cache, `flowlogs-test-data-${generatorHash()}`);
  const logs = { textDir: join(root, "text"), parquetDir: join(root, "parquet"), extendedDir: join(root, "extended") };
  if (existsSync(root)) return logs;
  const staging = mkdtempSync(join(cache, "flowlogs-test-data-staging-"));
  await generateLogs({ ...OPTIONS, outDir: join(staging, "text") });
  await generateLogs({
    ...OPTIONS,
    outDir: join(staging, "parquet"),
    storage: { ...DEFAULT_STORAGE, fileFormat: "parquet" },
  });
  await generateLogs({
    ...OPTIONS,
    outDir: join(staging, "extended"),
    logFormat: "extended",
    storage: EXTENDED_STORAGE,
  });
  try {
    renameSync(staging, root); // atomic: a concurrent test file sees all of it or none of it
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another test file got there first
  }
  return logs;
}
