/**
 * The AWS calls an emulator run made, as e2e/moto_recorder.py wrote them: one decoded call per JSON line,
 * with the phase (which role stood for it) that the run had set.
 */
import { readFileSync } from "node:fs";

export interface RecordedCall {
  /** `<mode>:<role>` as the run set it: e.g. `team:apply-role`, `team:plan-role`, `solo:admin`. */
  readonly phase: string;
  /** botocore's service name: ec2, s3, s3control, iam, cloudwatch, logs, ... */
  readonly service: string | null;
  readonly region?: string;
  readonly operation: string | null;
  readonly params: Record<string, unknown>;
  readonly status?: number;
  /** The answer's fields, for the ids of what a call created. */
  readonly response?: Record<string, unknown> | null;
  /** Why the recorder could not decode the call. */
  readonly error?: string;
}

export function readRecordedCalls(file: string): RecordedCall[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as RecordedCall);
}
