import { join, resolve } from "node:path";
import { readdirSync } from "node:fs";
import { type GlobSegment, parseGlob } from "./glob-pattern";
import { foldersUnder, pathExists, pathKind } from "./walk-folder";

/**
 * The files and folders a glob matches, segment by segment from the root: the literal start costs
 * nothing, and a segment may match folders as well as files. Links are followed like folders.
 */
export function expandGlob(input: string): string[] {
  const segments = parseGlob(resolve(input), input);
  let paths = ["/"];
  segments.forEach((segment, i) => {
    const next = new Set(paths.flatMap((folder) => step(folder, segment)));
    paths = i === segments.length - 1 ? [...next] : [...next].filter((path) => pathKind(path) === "folder");
  });
  return paths;
}

function step(folder: string, segment: GlobSegment): string[] {
  if (segment.kind === "any-depth") return foldersUnder(folder);
  const literal = join(folder, segment.name);
  // A name that exists as written is taken as written, even with glob characters (a folder `run[1]`).
  if (pathExists(literal)) return [literal];
  if (segment.kind === "name") return [];
  return readdirSync(folder)
    .filter((name) => segment.regex.test(name))
    .map((name) => join(folder, name));
}
