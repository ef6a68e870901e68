/**
 * Where moto falls short, in one place: what the emulator run cannot prove, what it mends around moto, and
 * (e2e/plan-drift.ts) what moto reads back differently. docs/emulator.md's table is generated from these
 * lists (`node dist/e2e/emulator-gaps.js --write`); __tests__/e2e/emulator-gaps.test.ts keeps it current.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EMULATOR_DRIFT } from "./plan-drift";

/** moto's account id for the test credentials. */
export const EMULATOR_ACCOUNT = "123456789012";

export interface EmulatorGap {
  /** Where the gap is. */
  readonly what: string;
  readonly why: string;
  /** What the run does about it. */
  readonly handling: string;
}

/** Not proven against the emulator. */
export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  {
    what: "Flow-log delivery, metric filter evaluation, alarm state changes, e-mail, Athena queries",
    why: "moto stores the configuration but runs no data plane",
    handling: 'runs the deployed definitions through the offline engine instead ("what is deployed is what is proven")',
  },
  {
    what: "IAM policy enforcement",
    why: "moto checks actions against `*` resources only",
    handling: "judges every recorded call with an IAM policy simulator (docs/ci.md)",
  },
  {
    what: "TLS-only bucket policies (`aws:SecureTransport`)",
    why: "moto applies a policy's Deny without its conditions, refusing every request",
    handling: "the stacks leave the TLS-only statement out in emulator mode (`LAB_AWS_ENDPOINT`); tests pin both forms",
  },
];

/** Mended around moto 5.2.5, each narrow (e2e/moto_*.py, e2e/emulator.ts). */
export const MOTO_MENDS: readonly EmulatorGap[] = [
  {
    what: "CloudWatch (`aws_cloudwatch_metric_alarm`)",
    why: "no Smithy RPC v2 CBOR protocol, which the provider's AWS SDK speaks (`unexpected smithy-protocol response header`)",
    handling: "e2e/moto_cbor.py translates CBOR to moto's Query protocol and back, driven by botocore's model",
  },
  {
    what: "`aws_athena_named_query`",
    why: "no `DeleteNamedQuery`; `GetNamedQuery` of a deleted id answers 500",
    handling: "e2e/moto_gaps.py answers both from moto's own state",
  },
  {
    what: "`aws_cloudwatch_query_definition` (saved Logs Insights queries)",
    why: "no `PutQueryDefinition`, `DescribeQueryDefinitions` or `DeleteQueryDefinition`",
    handling: "e2e/moto_gaps.py keeps them in memory and answers all three as the Logs API reference documents",
  },
  {
    what: "`aws_flow_log.destination_options` (S3 file format, Hive-compatible and per-hour prefixes)",
    why: "`CreateFlowLogs` ignores `DestinationOptions` and `DescribeFlowLogs` leaves them out (Terraform would plan to replace the flow log)",
    handling: "e2e/moto_gaps.py keeps them on moto's flow log and returns them for S3 flow logs, as AWS does",
  },
  {
    what: "`force_destroy` of a versioned bucket",
    why: "deleting versions beside a delete marker raises AttributeError (FakeDeleteMarker has no dispose)",
    handling: "e2e/moto_gaps.py gives delete markers a no-op dispose",
  },
  {
    what: "EC2 Instance Connect prefix list",
    why: "no AWS-managed list `com.amazonaws.<region>.ec2-instance-connect`",
    handling: "creates a stand-in with that name before the deploy (and treats it as AWS-owned in the IAM check)",
  },
  {
    what: "S3 Control host",
    why: "the provider calls `https://<account>.<endpoint host>` for bucket tags",
    handling: "uses `https://localhost:4566` and maps `123456789012.localhost` to 127.0.0.1 in /etc/hosts",
  },
];

const START = /<!-- emulator-gaps:start -->\n/;
const END = "<!-- emulator-gaps:end -->";
export const GAPS_DOC = join(__dirname, "..", "..", "docs", "emulator.md");

export function gapsTable(): string {
  const row = (kind: string, g: EmulatorGap) => `| ${kind} | ${g.what} | ${g.why} | ${g.handling} |`;
  return [
    "| Kind | Where | What moto lacks | What the run does |",
    "| --- | --- | --- | --- |",
    ...EMULATOR_GAPS.map((g) => row("not proven here", g)),
    ...MOTO_MENDS.map((g) => row("mended", g)),
    ...EMULATOR_DRIFT.map((d) =>
      row("read-back drift", {
        what: `\`${d.type}.${d.attribute}\``,
        why: d.why,
        handling: "the plan after apply may show it; any other change fails",
      }),
    ),
  ].join("\n");
}

/** The table as it stands in docs/emulator.md. */
export function tableInDoc(doc: string): string {
  const start = START.exec(doc);
  const end = doc.indexOf(END);
  if (!start || end < 0) throw new Error("docs/emulator.md lacks the emulator-gaps markers");
  return doc.slice(start.index + start[0].length, end).trimEnd();
}

if (require.main === module && process.argv.includes("--write")) {
  const doc = readFileSync(GAPS_DOC, "utf8");
  const start = START.exec(doc)!;
  const end = doc.indexOf(END);
  writeFileSync(GAPS_DOC, doc.slice(0, start.index + start[0].length) + gapsTable() + "\n" + doc.slice(end));
}
