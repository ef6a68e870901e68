import { createReadStream, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createGunzip, constants, gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";

export interface BrokenGzip {
  readonly path: string;
  readonly reason: string;
  /** Complete lines (header included) that could be recovered before the damage. */
  readonly goodLines: number;
  /** A plain-text copy of those lines, for reading in place of the broken file. */
  readonly recoveredPath: string;
}

/** Inflates the whole file, discarding the output: the only way to know that a gzip file is whole. */
function inflateFully(path: string): Promise<string | null> {
  return new Promise((resolve) => {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    gunzip.on("data", () => {});
    gunzip.on("end", () => resolve(null));
    gunzip.on("error", (error) => resolve(error.message));
    const input = createReadStream(path, { highWaterMark: 1 << 20 });
    input.on("error", (error) => resolve(error.message));
    input.pipe(gunzip);
  });
}

function recover(path: string, reason: string, dir: string): BrokenGzip {
  let text = "";
  try {
    text = gunzipSync(readFileSync(path), { finishFlush: constants.Z_SYNC_FLUSH }).toString("utf8");
  } catch {
    // Nothing inflates (e.g. not gzip at all): nothing to recover.
  }
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  const goodLines = complete.length === 0 ? 0 : complete.split("\n").length - 1;
  const recoveredPath = join(dir, `${basename(path)}.recovered.log`);
  writeFileSync(recoveredPath, complete);
  return { path, reason, goodLines, recoveredPath };
}

/**
 * Checks gzip files end to end (two at a time, on the libuv thread pool). DuckDB stops silently at a
 * truncated gzip member, which would lose records without a word; a broken file is reported, and its
 * intact lines are recovered into a plain-text copy so the run goes on.
 */
export async function findBrokenGzip(paths: readonly string[], concurrency = 2): Promise<BrokenGzip[]> {
  const broken: BrokenGzip[] = [];
  let next = 0;
  let dir: string | undefined;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++];
      const error = await inflateFully(path);
      if (error !== null) {
        dir ??= mkdtempSync(join(tmpdir(), "flowlogs-recovered-"));
        broken.push(recover(path, error, dir));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return broken.sort((a, b) => a.path.localeCompare(b.path));
}
