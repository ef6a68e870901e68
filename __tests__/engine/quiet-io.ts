import type { CommandIo } from "../../engine/commands/io";

/** A command's io for tests: stdout dropped, stderr kept in `errors` (the load report, skipped files). */
export function quiet(): CommandIo & { errors: string } {
  const io = { errors: "", out: () => {}, err: (t: string) => (io.errors += t) };
  return io;
}
