import { readFileSync } from "node:fs";
import { join } from "node:path";
import { settingsTable, tableInReadme } from "../../config/settings-table";
import { SETTINGS } from "../../config/settings";

test("the README's configuration table is the one the code makes (refresh: npm run docs:settings)", () => {
  const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
  expect(tableInReadme(readme)).toBe(settingsTable());
});

test("the table has a row per setting", () => {
  const rows = settingsTable().split("\n").slice(2);
  expect(rows.map((r) => r.split("`")[1])).toEqual(Object.values(SETTINGS).map((s) => s.env));
});
