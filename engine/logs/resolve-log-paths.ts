import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { EngineError } from "../engine-error";

export type LogFileFormat = "text" | "gzip" | "parquet";

export interface LogFile {
  readonly path: string;
  readonly format: LogFileFormat;
}

const GLOB_CHARS = /[*?[]/;

export function logFileFormat(path: string): LogFileFormat | null {
  if (/\.parquet$/i.test(path)) return "parquet";
  if (/\.gz$/i.test(path)) return "gzip";
  if (/\.(log|txt)$/i.test(path)) return "text";
  return null;
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*" && glob[i + 1] === "*") {
      source += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += ch.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

function walk(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name));
}

function expandGlob(pattern: string): string[] {
  const absolute = resolve(pattern);
  const firstGlob = absolute.search(GLOB_CHARS);
  const root = absolute.slice(0, absolute.lastIndexOf("/", firstGlob) + 1) || "/";
  if (!existsSync(root)) return [];
  const regex = globToRegExp(absolute);
  return walk(root).filter((file) => regex.test(file));
}

/**
 * Expands the `--logs` arguments: files, folders (searched recursively for .log, .log.gz, .gz, .txt
 * and .parquet files) and globs (`*`, `**`, `?`). A path that matches nothing is an error, not an
 * empty result: a typo must not look like "no traffic".
 */
export function resolveLogPaths(paths: readonly string[]): LogFile[] {
  if (paths.length === 0) throw new EngineError("no log paths given: pass --logs <file|folder|glob>...");
  const files = new Map<string, LogFile>();
  for (const input of paths) {
    let candidates: string[];
    if (GLOB_CHARS.test(input) && !existsSync(input)) candidates = expandGlob(input);
    else if (!existsSync(input)) throw new EngineError(`log path not found: ${input}`);
    else if (statSync(input).isDirectory()) candidates = walk(input);
    else candidates = [input];
    const found = candidates
      .map((path) => ({ path: resolve(path), format: logFileFormat(path) }))
      .filter((f): f is LogFile => f.format !== null || candidates.length === 1);
    if (found.length === 0) throw new EngineError(`no flow-log files (.log, .log.gz, .gz, .txt, .parquet) in ${input}`);
    for (const file of found) files.set(file.path, { path: file.path, format: file.format ?? "text" });
  }
  return [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
}
