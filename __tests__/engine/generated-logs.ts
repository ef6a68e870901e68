import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

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
