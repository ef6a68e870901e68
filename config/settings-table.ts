/** The README's configuration table, made from SETTINGS so that docs and code cannot drift apart. */
import { readFileSync, writeFileSync } from "node:fs";
import { SETTINGS, type SettingSpec } from "./settings";

const START = /<!-- settings-table:start[^>]*-->\n/;
const END = "<!-- settings-table:end -->";

export function settingsTable(): string {
  const rows = (Object.values(SETTINGS) as SettingSpec<unknown>[]).map((spec) => {
    const shown =
      spec.defaultDoc ?? (spec.default === undefined ? "unset" : spec.default === "" ? "empty" : `\`${spec.default}\``);
    return `| \`${spec.env}\` | ${shown} | ${spec.description.replaceAll("|", "\\|")} |`;
  });
  return ["| Variable | Default | Meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

/** The table as it stands in a README between the markers. */
export function tableInReadme(readme: string): string {
  const start = START.exec(readme);
  const end = readme.indexOf(END);
  if (!start || end < 0) throw new Error("README.md lacks the settings-table markers");
  return readme.slice(start.index + start[0].length, end).trimEnd();
}

export function withTable(readme: string): string {
  const current = tableInReadme(readme);
  return readme.replace(current, settingsTable());
}

// `node dist/config/settings-table.js --write` refreshes README.md.
if (require.main === module) {
  if (process.argv.includes("--write")) writeFileSync("README.md", withTable(readFileSync("README.md", "utf8")));
  else console.log(settingsTable());
}
