import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateLogs } from "../../engine/generate/write-generated-logs";
import { showsProgress } from "../../engine/output/progress";

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

test("a bar is drawn on a terminal only, and never in CI", () => {
  expect(showsProgress(tty, {})).toBe(true);
  expect(showsProgress(pipe, {})).toBe(false);
  expect(showsProgress(tty, { CI: "true" })).toBe(false);
});

test("generate reports its progress file by file, ending at the records asked for", async () => {
  const out = mkdtempSync(join(tmpdir(), "progress-"));
  try {
    const seen: number[] = [];
    const result = await generateLogs({
      records: 2500,
      outDir: out,
      recordsPerMinute: 100,
      onProgress: (n) => seen.push(n),
    });
    expect(seen).toHaveLength(result.files.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(2500);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
