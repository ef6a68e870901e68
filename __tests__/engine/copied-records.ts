import { readFileSync } from "node:fs";
import type { PreparedFile } from "../../engine/logs/prepare-log-files";

/** A prepared file's plain-text copy: its run of lines in the spool file it shares with other files. */
export function copiedRecords(prepared: PreparedFile): string {
  const copy = prepared.records?.copy;
  if (!copy) throw new Error(`${prepared.file.path} has no copy`);
  const lines = readFileSync(copy.path, "latin1").split("\n");
  return lines
    .slice(copy.offset, copy.offset + prepared.records!.count)
    .map((line) => `${line}\n`)
    .join("");
}
