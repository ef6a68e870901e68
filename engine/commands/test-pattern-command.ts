import { readFileSync } from "node:fs";
import { EngineError } from "../engine-error";
import { testMetricFilter } from "../filter-pattern";
import type { CommandIo } from "./io";

export interface TestPatternOptions {
  readonly pattern: string;
  /** A file of events, one per line; `-` or undefined reads stdin. */
  readonly events?: string;
}

export function readEvents(source: string | undefined): string[] {
  let text: string;
  try {
    text = readFileSync(source === undefined || source === "-" ? 0 : source, "utf8");
  } catch (error) {
    throw new EngineError(`cannot read events from ${source ?? "stdin"}: ${(error as Error).message}`);
  }
  // One event per non-empty line, like the messages of a TestMetricFilter request.
  return text.split(/\r?\n/).filter((line) => line.length > 0);
}

/** `flowlogs test-pattern`: prints a TestMetricFilter response as JSON. */
export function testPatternCommand(options: TestPatternOptions, io: CommandIo): number {
  const events = readEvents(options.events);
  io.out(JSON.stringify(testMetricFilter(options.pattern, events), null, 2) + "\n");
  return 0;
}
