import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EMULATOR_GAPS, gapsTable, MOTO_MENDS, tableInDoc } from "../../e2e/emulator-gaps";
import { EMULATOR_DRIFT } from "../../e2e/plan-drift";

test("docs/emulator.md lists exactly the gaps the code knows (node dist/e2e/emulator-gaps.js --write)", () => {
  const doc = readFileSync(join(__dirname, "..", "..", "docs", "emulator.md"), "utf8");
  expect(tableInDoc(doc)).toBe(gapsTable());
  expect(tableInDoc(doc).split("\n")).toHaveLength(
    2 + EMULATOR_GAPS.length + MOTO_MENDS.length + EMULATOR_DRIFT.length,
  );
});
