import { closeSync, openSync, readSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { EngineError } from "../engine-error";
import { expandGlob } from "./expand-glob";
import { hasGlobSyntax } from "./glob-pattern";
import { type FoundFile, filesUnder, pathExists, pathKind } from "./walk-folder";

export type LogFileFormat = "text" | "gzip" | "parquet";

export interface LogFile {
  readonly path: string;
  readonly format: LogFileFormat;
}

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

/**
 * Expands the `--logs` arguments: files, folders (searched recursively for .log, .log.gz, .gz, .txt
 * and .parquet files, symbolic links followed) and globs (`*`, `?`, `[...]`, `**`; a folder matched
 * is searched like a folder named). A path that matches nothing, or a broken link, is an error, not
 * an empty result: a typo must not look like "no traffic".
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
  if (!hasGlobSyntax(input)) throw new EngineError(`log path not found: ${input}`);
  const walked = new Set<string>(); // folders matched inside folders matched are searched once
  const candidates = expandGlob(input).flatMap((path) => {
    const kind = pathKind(path);
    return kind === "folder" ? filesUnder(path, walked) : kind === "file" ? [found(path)] : [];
  });
  return { candidates, named: false };
}

/** A file with its real path; a device or pipe named outright (`/dev/stdin`) may have none. */
function found(path: string): FoundFile {
  try {
    return { path, real: realpathSync.native(path) };
  } catch {
    return { path, real: resolve(path) };
  }
}
