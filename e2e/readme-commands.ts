/**
 * The README's command blocks that the emulator run executes as written: a fenced `sh` block right
 * after `<!-- e2e:<name> -->`. Lines are `export NAME=value ...` or `npx cdktf ...`; comments and blank
 * lines are skipped; anything else is refused, so the README cannot hold a command the run skips.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type ReadmeCommand =
  | { readonly kind: "export"; readonly values: Record<string, string> }
  | { readonly kind: "run"; readonly args: readonly string[] };

export function readmeCommands(root: string, name: string): ReadmeCommand[] {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const marker = `<!-- e2e:${name} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`README.md: no \`\`\`sh block after ${marker}`);
  return block[1]
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => parseLine(line, name));
}

function parseLine(line: string, name: string): ReadmeCommand {
  const words = line.split(/\s+/);
  if (words[0] === "export") {
    const values: Record<string, string> = {};
    for (const word of words.slice(1)) {
      const match = /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(word);
      if (!match) throw new Error(`README.md e2e:${name}: cannot read "${word}" in "${line}"`);
      values[match[1]] = match[2];
    }
    return { kind: "export", values };
  }
  if (words[0] === "npx" && words[1] === "cdktf") return { kind: "run", args: words };
  throw new Error(`README.md e2e:${name}: the emulator run cannot execute "${line}"`);
}
