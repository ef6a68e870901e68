import { closeSync, existsSync, openSync, readSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { EngineError } from "../engine-error";
import { type FoundFile, filesUnder, pathExists, pathKind } from "./walk-folder";

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

function expandGlob(pattern: string): FoundFile[] {
  const absolute = resolve(pattern);
  const firstGlob = absolute.search(GLOB_CHARS);
  const root = absolute.slice(0, absolute.lastIndexOf("/", firstGlob) + 1) || "/";
  if (!existsSync(root)) return [];
  const regex = globToRegExp(absolute);
  return filesUnder(root).filter((file) => regex.test(file.path));
}

/**
 * Expands the `--logs` arguments: files, folders (searched recursively for .log, .log.gz, .gz, .txt
 * and .parquet files, symbolic links followed) and globs (`*`, `**`, `?`). A path that matches
 * nothing, or a broken link, is an error, not an empty result: a typo must not look like "no traffic".
 */
export function resolveLogPaths(paths: readonly string[]): LogFile[] {
  if (paths.length === 0) throw new EngineError("no log paths given: pass --logs <file|folder|glob>...");
  const files = new Map<string, LogFile>();
  for (const input of paths) {
    const { candidates, named } = candidatesOf(input);
    const found = candidates
      .map(({ path, real }) => ({ path: resolve(path), real, format: logFileFormat(path) }))
      .filter((f) => f.format !== null || named);
    if (found.length === 0) throw new EngineError(`no flow-log files (.log, .log.gz, .gz, .txt, .parquet) in ${input}`);
    for (const file of found) {
      // One file reached by two routes (two links, a link and the file, a folder and a file in it) is
      // read once, under the first path met: the same records twice would double every count.
      if (!files.has(file.real))
        files.set(file.real, { path: file.path, format: file.format ?? sniffFormat(file.path) });
    }
  }
  return [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** The paths an argument stands for; `named`: a file named outright is read whatever its name. */
function candidatesOf(input: string): { candidates: FoundFile[]; named: boolean } {
  // A path that exists as written is taken as written, glob characters and all (a file `run[1]`).
  if (pathExists(input)) {
    const kind = pathKind(input);
    return kind === "folder"
      ? { candidates: filesUnder(input), named: false }
      : { candidates: [found(input)], named: true };
  }
  if (!GLOB_CHARS.test(input)) throw new EngineError(`log path not found: ${input}`);
  return { candidates: expandGlob(input), named: false };
}

/** A file with its real path; a device or pipe named outright (`/dev/stdin`) may have none. */
function found(path: string): FoundFile {
  try {
    return { path, real: realpathSync.native(path) };
  } catch {
    return { path, real: resolve(path) };
  }
}
