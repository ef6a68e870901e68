import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const root = join(__dirname, "..");

test("every check that .checkov.yaml skips has its reason there, in the comment above it or above its group", () => {
  const text = readFileSync(join(root, ".checkov.yaml"), "utf8");
  const skipped: string[] = parse(text)["skip-check"];
  expect(skipped.length).toBeGreaterThan(0);
  const lines = text.split("\n").map((l) => l.trim());
  for (const id of skipped) {
    let at = lines.indexOf(`- ${id}`) - 1;
    while (at >= 0 && /^- CKV/.test(lines[at])) at -= 1;
    const reason = lines[at] ?? "";
    expect([id, reason.startsWith("# ") && reason.length > 40]).toEqual([id, true]);
  }
});
