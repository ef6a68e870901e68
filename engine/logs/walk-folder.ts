import { type Dirent, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { EngineError } from "../engine-error";

export type PathKind = "file" | "folder" | "other";

// What stat says of a link to nothing, through a file, or in a loop of links.
const BROKEN = new Set(["ENOENT", "ENOTDIR", "ELOOP"]);

/**
 * What a path is, symbolic links followed. A broken link is an error, as a missing path is: it stood
 * for a log or a folder of logs that is not there, and skipping it would look like less traffic.
 */
export function pathKind(path: string): PathKind {
  let stats;
  try {
    stats = statSync(path);
  } catch (e) {
    if (BROKEN.has((e as NodeJS.ErrnoException).code ?? "") && isLink(path))
      throw new EngineError(`log path not found: ${path}: a broken symbolic link to ${readlinkSync(path)}`);
    throw e;
  }
  return stats.isFile() ? "file" : stats.isDirectory() ? "folder" : "other";
}

/** The path exists, if only as a broken link. */
export function pathExists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

function isLink(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
}

function entryKind(path: string, entry: Dirent): PathKind {
  if (entry.isSymbolicLink()) return pathKind(path);
  return entry.isFile() ? "file" : entry.isDirectory() ? "folder" : "other";
}

/**
 * Walks a folder at any depth, following symbolic links to files and folders (as `find -L`), in name
 * order. A folder whose real path was walked already is listed but not entered again: a link back
 * to a folder on the way (a loop) ends there, and two links to one folder give its files once.
 * `walked` may be shared by several walks that should not repeat each other.
 */
export function walkFolder(
  folder: string,
  on: { file?: (file: FoundFile) => void; folder?: (path: string) => void },
  walked = new Set<string>(),
): void {
  on.folder?.(folder);
  const real = realpathSync.native(folder);
  if (walked.has(real)) return;
  walked.add(real);
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    const kind = entryKind(path, entry);
    if (kind === "folder") walkFolder(path, on, walked);
    // A plain file's real path comes from its folder's: no system call per file.
    else if (kind === "file")
      on.file?.({ path, real: entry.isSymbolicLink() ? realpathSync.native(path) : join(real, entry.name) });
  }
}

/** A file found, and its real path: the same file reached by two routes has one real path. */
export interface FoundFile {
  readonly path: string;
  readonly real: string;
}

export function filesUnder(folder: string, walked?: Set<string>): FoundFile[] {
  const files: FoundFile[] = [];
  walkFolder(folder, { file: (file) => files.push(file) }, walked);
  return files;
}

/** The folder and every folder below it (a glob's `**`). */
export function foldersUnder(folder: string): string[] {
  const folders: string[] = [];
  walkFolder(folder, { folder: (path) => folders.push(path) });
  return folders;
}
