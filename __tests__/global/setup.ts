import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * One temp folder for the whole run, set as TMPDIR before Jest starts its workers (they inherit it):
 * cdktf's Testing.app() makes a `cdktf.outdir.*` folder per call and never removes it (~400 per run
 * were left in /tmp), and teardown.ts removes this folder with everything in it. The generated flow
 * logs stay cached across runs in the real temp folder (LAB_TEST_CACHE_DIR, generated-logs.ts).
 */
export default function setup(): void {
  const real = tmpdir();
  process.env.LAB_TEST_CACHE_DIR ??= real;
  process.env.LAB_TEST_RUN_TMPDIR = mkdtempSync(join(real, "lab-tests-"));
  process.env.TMPDIR = process.env.LAB_TEST_RUN_TMPDIR;
}
