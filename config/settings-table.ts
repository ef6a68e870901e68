/** The README's configuration table, made from SETTINGS so that docs and code cannot drift apart. */
import { SETTINGS, type SettingSpec } from "./settings";

export function settingsTableRows(): string[] {
  return (Object.values(SETTINGS) as SettingSpec<unknown>[]).map((spec) => {
    const shown =
      spec.defaultDoc ?? (spec.default === undefined ? "unset" : spec.default === "" ? "empty" : `\`${spec.default}\``);
    return `| \`${spec.env}\` | ${shown} | ${spec.description.replaceAll("|", "\\|")} |`;
  });
}

export function settingsTable(): string {
  return ["| Variable | Default | Meaning |", "| --- | --- | --- |", ...settingsTableRows()].join("\n");
}

if (require.main === module) console.log(settingsTable());
