import { rmSync } from "node:fs";

/** Removes the run's temp folder (setup.ts) with whatever the tests and cdktf left in it. */
export default function teardown(): void {
  const dir = process.env.LAB_TEST_RUN_TMPDIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
