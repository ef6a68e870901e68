import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const root = join(__dirname, "..");

test("every check that .checkov.yaml skips has a reason there and a row in the README", () => {
  const text = readFileSync(join(root, ".checkov.yaml"), "utf8");
  const skipped: string[] = parse(text)["skip-check"];
  expect(skipped.length).toBeGreaterThan(0);
  const lines = text.split("\n");
  for (const id of skipped) {
    const at = lines.findIndex((l) => l.trim() === `- ${id}`);
    expect([id, lines[at - 1]?.trim().startsWith("# ")]).toEqual([id, true]);
  }
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const table = readme.slice(
    readme.indexOf("<!-- checkov-skips:start -->"),
    readme.indexOf("<!-- checkov-skips:end -->"),
  );
  const rows = [...table.matchAll(/^\| (CKV\w+) \|/gm)].map((m) => m[1]);
  expect(rows.sort()).toEqual([...skipped].sort());
});
