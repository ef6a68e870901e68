/** The flow-log-skipdata detection: SKIPDATA records' share of all records, deployed and replayed. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { replayLogs } from "../../engine/commands/replay-command";
import { replayMinutes } from "../../engine/commands/replay-minutes";
import { shareDatapoints } from "../../engine/detect/share-datapoints";
import { compilePattern } from "../../engine/filter-pattern";
import { scenario } from "../../engine/generate/scenarios";
import { generateLogs } from "../../engine/generate/write-generated-logs";
import { recordsFilter, skipDataFilter } from "../../monitoring/skipdata-share";
import { ref, resources, synthLab } from "../helpers";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";

const START = Date.UTC(2024, 4, 1) / 1000;
const quiet = { out: () => {}, err: () => {} };

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flowlogs-skipdata-"));
  for (const name of ["quiet", "flow-log-skipdata"] as const)
    await generateLogs({
      records: 0,
      source: scenario(name, START).records,
      outDir: join(dir, name),
      start: new Date(START * 1000),
    });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the SKIPDATA filter", () => {
  const pattern = compilePattern(skipDataFilter("ns", FLOW_LOG_FIELDS).pattern);
  it.each([
    [`2 123456789012 eni-1 - - - - - - - ${START} ${START + 59} - SKIPDATA`, true],
    [`2 123456789012 eni-1 - - - - - - - ${START} ${START + 59} - NODATA`, false],
    [`2 123456789012 eni-1 10.0.0.10 8.8.8.8 40000 443 6 3 180 ${START} ${START + 59} ACCEPT OK`, false],
  ])("%s: %s", (line, expected) => expect(pattern.matches(line)).toBe(expected));

  it("the records filter matches every record of the default format, and nothing shorter", () => {
    const every = compilePattern(recordsFilter("ns", FLOW_LOG_FIELDS).pattern);
    expect(every.matches(`2 123456789012 eni-1 - - - - - - - ${START} ${START + 59} - SKIPDATA`)).toBe(true);
    expect(
      every.matches(`2 123456789012 eni-1 10.0.0.10 8.8.8.8 40000 443 6 3 180 ${START} ${START + 59} ACCEPT OK`),
    ).toBe(true);
    expect(every.matches("version account-id interface-id")).toBe(false);
  });
});

describe("the records filter counts every record the engine reads (detect takes the minutes' record counts for it)", () => {
  it.each(["quiet", "flow-log-skipdata"] as const)("%s", async (name) => {
    const { minutes } = await replayMinutes({
      logs: [join(dir, name)],
      fields: FLOW_LOG_FIELDS,
      filters: [recordsFilter("ns", FLOW_LOG_FIELDS)],
      by: "test",
    });
    for (const m of minutes[0]) expect([m.minuteSeconds, m.matches]).toEqual([m.minuteSeconds, m.events]);
    expect(minutes[0].reduce((n, m) => n + m.matches, 0)).toBe(scenario(name, START).records.length);
  });
});

describe("shareDatapoints", () => {
  const minute = (m: number, matches: number) => ({
    minuteSeconds: START + m * 60,
    sum: matches,
    sampleCount: Math.max(matches, 1),
    minimum: 0,
    maximum: 1,
    matches,
    events: 1000,
  });

  it("one filter's matches as a share of another's per period, in percent, from the counts (not their average)", () => {
    const skipped = [minute(0, 1), minute(1, 9), minute(5, 0)];
    const records = [minute(0, 100), minute(1, 10), minute(5, 40), minute(7, 0)];
    expect(shareDatapoints(skipped, records, 300)).toEqual([
      {
        minuteSeconds: START,
        sum: 9.090909090909092,
        sampleCount: 1,
        minimum: 9.090909090909092,
        maximum: 9.090909090909092,
        matches: 10,
        events: 110,
      },
      { minuteSeconds: START + 300, sum: 0, sampleCount: 1, minimum: 0, maximum: 0, matches: 0, events: 40 },
    ]);
  });

  it("a period without records has no value (missing data, not 0%)", () => {
    expect(shareDatapoints([minute(0, 0)], [minute(0, 0)], 300)).toEqual([]);
  });
});

describe("replay --detection flow-log-skipdata", () => {
  it("replays the deployed alarm on the share: ALARM for the incident's two periods, OK on quiet traffic", async () => {
    const skipped = await replayLogs(
      { logs: [join(dir, "flow-log-skipdata")], detection: "flow-log-skipdata", env: {} },
      quiet,
    );
    expect(skipped.datapoints.filter((d) => d.value >= 1).map((d) => d.timestamp)).toEqual([
      "2024-05-01T00:20:00.000Z",
      "2024-05-01T00:25:00.000Z",
    ]);
    expect(skipped.transitions.filter((t) => t.to === "ALARM").map((t) => t.timestamp)).toEqual([
      "2024-05-01T00:25:00.000Z",
    ]);
    const calm = await replayLogs({ logs: [join(dir, "quiet")], detection: "flow-log-skipdata", env: {} }, quiet);
    expect(calm.datapoints.every((d) => d.value === 0)).toBe(true);
    expect(calm.transitions.some((t) => t.to === "ALARM")).toBe(false);
  });

  it("LAB_SKIPDATA_PERCENT above the incident's share: no alarm", async () => {
    const logs = [join(dir, "flow-log-skipdata")];
    const high = await replayLogs({ logs, detection: "flow-log-skipdata", env: { LAB_SKIPDATA_PERCENT: "50" } }, quiet);
    expect(high.transitions.some((t) => t.to === "ALARM")).toBe(false);
  });
});

describe("the lab stack deploys the flow-log-skipdata detection", () => {
  const { json, tf } = synthLab({ LAB_NAME_SUFFIX: "x", LAB_SKIPDATA_PERCENT: "7" });
  const filterId = (name: string) =>
    Object.entries(resources(tf, "aws_cloudwatch_log_metric_filter")).find(([, f]) => f.name === name)![0];

  it("two metric filters on the flow-log group, in the detections' namespace: SKIPDATA records, and every record", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogMetricFilter, {
      name: "Lab-VPC-Flow-Log-Records-x",
      log_group_name: ref(tf, "aws_cloudwatch_log_group", "name"),
      pattern:
        "[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, starttime, endtime, action, flowlogstatus]",
      metric_transformation: {
        namespace: "Lab-VPC-Flow-Log-Detections-x",
        name: "Records",
        value: "1",
        default_value: "0",
      },
    });
    expect(json).toHaveResourceWithProperties(CloudwatchLogMetricFilter, {
      name: "Lab-VPC-Flow-Log-SkipData-x",
      log_group_name: ref(tf, "aws_cloudwatch_log_group", "name"),
      pattern: skipDataFilter("", FLOW_LOG_FIELDS).pattern,
      metric_transformation: {
        namespace: "Lab-VPC-Flow-Log-Detections-x",
        name: "SkipData",
        value: "1",
        default_value: "0",
      },
    });
  });

  it("an alarm on 100 * SKIPDATA / records (both on the records' own clock) at LAB_SKIPDATA_PERCENT, after the filters", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "CloudWatch-Alarm-Flow-Logs-SkipData-x",
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 7,
      evaluation_periods: 1,
      treat_missing_data: "notBreaching",
      alarm_actions: [ref(tf, "aws_sns_topic", "arn")],
      depends_on: [
        `aws_cloudwatch_log_metric_filter.${filterId("Lab-VPC-Flow-Log-SkipData-x")}`,
        `aws_cloudwatch_log_metric_filter.${filterId("Lab-VPC-Flow-Log-Records-x")}`,
      ],
      metric_query: [
        {
          id: "skipped",
          label: "SKIPDATA records",
          return_data: false,
          metric: { namespace: "Lab-VPC-Flow-Log-Detections-x", metric_name: "SkipData", stat: "Sum", period: 300 },
        },
        {
          id: "records",
          label: "Flow-log records",
          return_data: false,
          metric: { namespace: "Lab-VPC-Flow-Log-Detections-x", metric_name: "Records", stat: "Sum", period: 300 },
        },
        {
          id: "share",
          expression: "IF(records > 0, 100 * skipped / records, 0)",
          label: "SKIPDATA share of the records (%)",
          return_data: true,
          period: 300,
        },
      ],
    });
  });

  it("the default threshold is 1%", () => {
    const alarms = Object.values(resources(synthLab().tf, "aws_cloudwatch_metric_alarm"));
    expect(alarms.find((a) => a.alarm_name === "CloudWatch-Alarm-Flow-Logs-SkipData")?.threshold).toBe(1);
  });
});
