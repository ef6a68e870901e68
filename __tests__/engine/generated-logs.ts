import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { generateLogs, type GenerateOptions } from "../../engine/generate/write-generated-logs";

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

// 2,000 records, one a minute: about 33 hours, 17 files over three day partitions.
const OPTIONS = {
  records: 2000,
  seed: 7,
  recordsPerMinute: 1,
  minutesPerFile: 120,
  start: new Date("2024-05-01T23:00:00Z"),
} satisfies Omit<GenerateOptions, "outDir">;

export interface GeneratedLogs {
  /** Gzip text in the S3 layout. */
  readonly textDir: string;
  /** The same records as Parquet, one file per day. */
  readonly parquetDir: string;
}

/** The generator's sources: the cache key, so that a change to the generator regenerates the data. */
function generatorHash(): string {
  const hash = createHash("sha256").update(JSON.stringify(OPTIONS));
  const dir = join(__dirname, "..", "..", "engine", "generate");
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
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
  const root = join(tmpdir(), `flowlogs-test-data-${generatorHash()}`);
  const logs = { textDir: join(root, "text"), parquetDir: join(root, "parquet") };
  if (existsSync(root)) return logs;
  const staging = mkdtempSync(join(tmpdir(), "flowlogs-test-data-staging-"));
  await generateLogs({ ...OPTIONS, outDir: join(staging, "text") });
  await generateLogs({ ...OPTIONS, outDir: join(staging, "parquet"), format: "parquet" });
  try {
    renameSync(staging, root); // atomic: a concurrent test file sees all of it or none of it
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another test file got there first
  }
  return logs;
}
