import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from "node:fs";
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

/** The format of a file named without a flow-log ending, from its first bytes. */
function sniffFormat(path: string): LogFileFormat {
  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    readSync(fd, head, 0, 4, 0);
  } catch {
    return "text"; // unreadable: reading it reports why
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head.toString("latin1") === "PAR1") return "parquet";
  return "text";
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
    // A file named outright is read whatever its name; in a folder or a glob, only flow-log names count.
    let named = false;
    if (GLOB_CHARS.test(input) && !existsSync(input)) candidates = expandGlob(input);
    else if (!existsSync(input)) throw new EngineError(`log path not found: ${input}`);
    else if (statSync(input).isDirectory()) candidates = walk(input);
    else [candidates, named] = [[input], true];
    const found = candidates
      .map((path) => ({ path: resolve(path), format: logFileFormat(path) }))
      .filter((f) => f.format !== null || named);
    if (found.length === 0) throw new EngineError(`no flow-log files (.log, .log.gz, .gz, .txt, .parquet) in ${input}`);
    for (const file of found) files.set(file.path, { path: file.path, format: file.format ?? sniffFormat(file.path) });
  }
  return [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
}
