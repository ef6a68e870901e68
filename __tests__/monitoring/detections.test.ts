import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { formatIpv4, parseIpv4Cidr, type Ipv4Cidr } from "../../config/cidr";
import { compilePattern } from "../../engine/filter-pattern";
import { seededRandom } from "../../engine/generate/prng";
import { cidrRegex, decimalRange } from "../../monitoring/cidr-regex";
import { DETECTION_IDS, labDetections } from "../../monitoring/detections";
import { PING_DENY_ALARM, PING_DENY_FILTER } from "../../monitoring/ping-deny";
import { sshRdpRejectedFilter } from "../../monitoring/ssh-rdp-rejected";
import { only, ref, resources, synthLab } from "../helpers";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";

const block = (text: string) => parseIpv4Cidr(text) as Ipv4Cidr;
/** A default-format record: source, destination, destination port, protocol, action. */
const record = (source: string, destination: string, port: number, protocol: number, action: string) =>
  `2 123456789012 eni-1 ${source} ${destination} 49152 ${port} ${protocol} 3 180 1714608000 1714608059 ${action} OK`;

describe("cidrRegex", () => {
  it("decimalRange matches exactly lo..hi, for every range of octet values", () => {
    const wrong: string[] = [];
    for (let lo = 0; lo < 256; lo++)
      for (let hi = lo; hi < 256; hi++) {
        const regex = new RegExp(`^(?:${decimalRange(lo, hi).join("|")})$`);
        for (const n of [lo - 1, lo, hi, hi + 1, (lo + hi) >> 1, 0, 9, 10, 99, 100, 255])
          if (n >= 0 && n < 256 && regex.test(String(n)) !== (n >= lo && n <= hi)) wrong.push(`${lo}-${hi}: ${n}`);
      }
    expect(wrong).toEqual([]);
  });

  it("matches the addresses inside the block and no other, for every prefix length", () => {
    const random = seededRandom(11);
    const address = () => Math.floor(random() * 2 ** 32);
    const wrong: string[] = [];
    for (let prefix = 1; prefix <= 32; prefix++)
      for (let b = 0; b < 50; b++) {
        const size = 2 ** (32 - prefix);
        const start = address();
        const cidr = block(`${formatIpv4(start - (start % size))}/${prefix}`);
        const regex = new RegExp(cidrRegex(cidr));
        const probes = [cidr.address, cidr.address + size - 1, cidr.address - 1, cidr.address + size, address()];
        for (const ip of probes.filter((p) => p >= 0 && p < 2 ** 32)) {
          const inside = ip >= cidr.address && ip < cidr.address + size;
          if (regex.test(formatIpv4(ip)) !== inside) wrong.push(`${cidr.text}: ${formatIpv4(ip)}`);
        }
      }
    expect(wrong).toEqual([]);
  });

  it("writes an octet-aligned block as a prefix, and the rest without parentheses (CloudWatch refuses them)", () => {
    expect(cidrRegex(block("10.0.0.0/16"))).toBe("^10\\.0\\.");
    expect(cidrRegex(block("10.0.0.0/20"))).toBe("^10\\.0\\.[0-9]\\.|^10\\.0\\.1[0-5]\\.");
    expect(cidrRegex(block("10.0.0.7/32"))).toBe("^10\\.0\\.0\\.7$");
    for (const prefix of [16, 17, 20, 23, 25, 28]) expect(cidrRegex(block(`10.0.0.0/${prefix}`))).not.toMatch(/[()]/);
  });
});

describe("ssh-rdp-rejected: its pattern, as CloudWatch would run it", () => {
  const vpc = block("10.0.0.0/20");
  const pattern = compilePattern(sshRdpRejectedFilter(vpc, FLOW_LOG_FIELDS).pattern); // throws on what CloudWatch refuses

  it.each([
    ["TCP 22 REJECT from the internet", record("203.0.113.9", "10.0.0.5", 22, 6, "REJECT"), true],
    ["TCP 3389 REJECT from the internet", record("198.51.100.7", "10.0.0.5", 3389, 6, "REJECT"), true],
    ["from just past the VPC block", record("10.0.16.1", "10.0.0.5", 22, 6, "REJECT"), true],
    ["from IPv6", record("2001:db8::1", "10.0.0.5", 22, 6, "REJECT"), true],
    ["from inside the VPC block", record("10.0.15.254", "10.0.0.5", 22, 6, "REJECT"), false],
    ["accepted", record("203.0.113.9", "10.0.0.5", 22, 6, "ACCEPT"), false],
    ["another port", record("203.0.113.9", "10.0.0.5", 80, 6, "REJECT"), false],
    ["UDP to 22", record("203.0.113.9", "10.0.0.5", 22, 17, "REJECT"), false],
  ])("%s: %s", (_, line, expected) => {
    expect(pattern.matches(line)).toBe(expected);
  });
});

describe("the detection catalogue", () => {
  const detections = labDetections({
    flowLogFormat: "default",
    vpcCidr: block("10.0.0.0/24"),
    sshRdpAlarmThreshold: 10,
    flowLogSilenceMinutes: 15,
    portScanPorts: 20,
    skipDataPercent: 1,
  });

  it("holds every id once, each with a severity; ping deny is the walkthrough's filter and alarm", () => {
    expect(Object.keys(detections)).toEqual([...DETECTION_IDS]);
    for (const [id, detection] of Object.entries(detections)) {
      expect(detection.id).toBe(id);
      expect(["low", "medium", "high"]).toContain(detection.severity);
    }
    expect(detections["ping-deny"]).toMatchObject({ filter: PING_DENY_FILTER, alarm: PING_DENY_ALARM });
    expect(detections["ssh-rdp-rejected"].technique).toEqual({ id: "T1110", name: "Brute Force" });
    expect(detections["port-scan"].technique).toEqual({ id: "T1046", name: "Network Service Discovery" });
    expect(detections["port-scan"].alarm.threshold).toBe(20);
  });
});

describe("the lab stack deploys the ssh-rdp-rejected detection from the catalogue and the settings", () => {
  const { json, tf } = synthLab({
    LAB_VPC_CIDR: "10.1.0.0/20",
    LAB_SUBNET_CIDR: "10.1.0.0/24",
    LAB_SSH_RDP_ALARM_THRESHOLD: "3",
    LAB_NAME_SUFFIX: "dev",
  });
  const filters = resources(tf, "aws_cloudwatch_log_metric_filter");
  const [filterId] = Object.entries(filters).find(([, f]) => String(f.name).startsWith("Lab-VPC-Flow-Log-SSH-RDP"))!;

  it("a metric filter on the flow-log group, its pattern built from LAB_VPC_CIDR", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogMetricFilter, {
      name: "Lab-VPC-Flow-Log-SSH-RDP-Reject-dev",
      log_group_name: ref(tf, "aws_cloudwatch_log_group", "name"),
      pattern: sshRdpRejectedFilter(block("10.1.0.0/20"), FLOW_LOG_FIELDS).pattern,
      metric_transformation: {
        namespace: "Lab-VPC-Flow-Log-Detections-dev",
        name: "SSH-RDP-Reject",
        value: "1",
        default_value: "0",
      },
    });
    expect(filters[filterId].pattern).toContain("source!=%^10\\.1\\.[0-9]\\.|^10\\.1\\.1[0-5]\\.%");
  });

  it("an alarm on its 5-minute sum at LAB_SSH_RDP_ALARM_THRESHOLD, notifying the topic, after the filter", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "CloudWatch-Alarm-SSH-RDP-Reject-dev",
      namespace: "Lab-VPC-Flow-Log-Detections-dev",
      metric_name: "SSH-RDP-Reject",
      statistic: "Sum",
      period: 300,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 3,
      evaluation_periods: 1,
      treat_missing_data: "notBreaching",
      alarm_actions: [ref(tf, "aws_sns_topic", "arn")],
      depends_on: [`aws_cloudwatch_log_metric_filter.${filterId}`],
    });
  });

  it("the default threshold is 10", () => {
    const alarms = Object.values(resources(synthLab().tf, "aws_cloudwatch_metric_alarm"));
    expect(alarms.find((a) => a.alarm_name === "CloudWatch-Alarm-SSH-RDP-Reject")?.threshold).toBe(10);
  });
});

describe("the lab stack deploys the flow-log-silence detection on the log group's own metric", () => {
  const alarmOf = (env: Record<string, string>) => {
    const { tf } = synthLab(env);
    const alarm = Object.values(resources(tf, "aws_cloudwatch_metric_alarm")).find((a) =>
      String(a.alarm_name).startsWith("CloudWatch-Alarm-Flow-Logs-Silent"),
    );
    return { tf, alarm };
  };

  it("AWS/Logs IncomingLogEvents of the flow-log group, Sum per 5 minutes < 1 for 15 minutes, missing data breaching", () => {
    const { tf, alarm } = alarmOf({});
    expect(alarm).toMatchObject({
      alarm_name: "CloudWatch-Alarm-Flow-Logs-Silent",
      namespace: "AWS/Logs",
      metric_name: "IncomingLogEvents",
      dimensions: { LogGroupName: ref(tf, "aws_cloudwatch_log_group", "name") },
      statistic: "Sum",
      period: 300,
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      treat_missing_data: "breaching",
      alarm_actions: [ref(tf, "aws_sns_topic", "arn")],
    });
  });

  it("LAB_FLOW_LOG_SILENCE_MINUTES sets how many 5-minute periods", () => {
    expect(alarmOf({ LAB_FLOW_LOG_SILENCE_MINUTES: "60", LAB_NAME_SUFFIX: "x" }).alarm).toMatchObject({
      alarm_name: "CloudWatch-Alarm-Flow-Logs-Silent-x",
      evaluation_periods: 12,
      datapoints_to_alarm: 12,
    });
  });
});

describe("the lab stack deploys AWS's example Contributor Insights rules on the flow-log group", () => {
  const { tf } = synthLab({ LAB_NAME_SUFFIX: "x" });
  const rules = Object.values(resources(tf, "aws_cloudwatch_contributor_insight_rule"));
  const definition = (name: string) =>
    JSON.parse(String(rules.find((r) => r.rule_name === name)?.rule_definition)) as Record<string, unknown>;

  it("bytes by source and destination, and rejected TCP by interface and source, both enabled", () => {
    expect(rules.map((r) => [r.rule_name, r.rule_state]).sort()).toEqual([
      ["Lab-VPC-Flow-Log-Port-Scan-Ports-x", "ENABLED"],
      ["Lab-VPC-Flow-Log-Port-Scan-Sources-x", "ENABLED"],
      ["Lab-VPC-Flow-Log-Rejected-TCP-x", "ENABLED"],
      ["Lab-VPC-Flow-Log-Top-Talkers-x", "ENABLED"],
    ]);
    expect(definition("Lab-VPC-Flow-Log-Top-Talkers-x")).toEqual({
      Schema: { Name: "CloudWatchLogRule", Version: 1 },
      LogGroupNames: [ref(tf, "aws_cloudwatch_log_group", "name")],
      LogFormat: "CLF",
      // The positions of AWS's example, from the deployed format's field order.
      Fields: { "4": "srcaddr", "5": "dstaddr", "10": "bytes" },
      Contribution: { Keys: ["srcaddr", "dstaddr"], ValueOf: "bytes", Filters: [] },
      AggregateOn: "Sum",
    });
    expect(definition("Lab-VPC-Flow-Log-Rejected-TCP-x")).toMatchObject({
      Fields: { "3": "interface-id", "4": "srcaddr", "8": "protocol", "13": "action" },
      Contribution: {
        Keys: ["interface-id", "srcaddr"],
        Filters: [
          { Match: "protocol", EqualTo: 6 },
          { Match: "action", In: ["REJECT"] },
        ],
      },
      AggregateOn: "Count",
    });
  });
});

describe("the lab stack's dashboard shows the catalogue", () => {
  const { tf } = synthLab({ LAB_NAME_SUFFIX: "x", LAB_REGION: "eu-west-1" });
  const { body } = only(tf, "aws_cloudwatch_dashboard");
  interface Widget {
    type: string;
    x: number;
    y: number;
    width: number;
    height: number;
    properties: {
      alarms?: string[];
      metrics?: unknown[];
      stat?: string;
      period?: number;
      region?: string;
      insightRule?: { ruleName: string };
      query?: string;
    };
  }
  const widgets = (JSON.parse(String(body.dashboard_body)) as { widgets: Widget[] }).widgets;
  const alarmArn = (name: string) => {
    const [id] = Object.entries(resources(tf, "aws_cloudwatch_metric_alarm")).find(([, a]) => a.alarm_name === name)!;
    return `\${aws_cloudwatch_metric_alarm.${id}.arn}`;
  };

  it("is named from the catalogue", () => {
    expect(body.dashboard_name).toBe("Lab-VPC-Flow-Log-Monitoring-x");
  });

  it("the state of every detection's alarm, by reference", () => {
    expect(widgets[0].properties.alarms).toEqual([
      alarmArn("CloudWatch-Alarm-Ping-Deny-x"),
      alarmArn("CloudWatch-Alarm-SSH-RDP-Reject-x"),
      alarmArn("CloudWatch-Alarm-Flow-Logs-Silent-x"),
      alarmArn("CloudWatch-Alarm-Flow-Logs-SkipData-x"),
      alarmArn("CloudWatch-Alarm-Port-Scan-x"),
    ]);
  });

  it("each detection's metric with its alarm's statistic, period and threshold, in the lab's region", () => {
    const metrics = widgets.filter((w) => w.type === "metric" && w.properties.metrics);
    expect(
      metrics.map((w) => [w.properties.metrics, w.properties.stat, w.properties.period, w.properties.region]),
    ).toEqual([
      [[["Lab-VPC-Flow-Log-Ping-x", "Ping-Deny"]], "Sum", 60, "eu-west-1"],
      [[["Lab-VPC-Flow-Log-Detections-x", "SSH-RDP-Reject"]], "Sum", 300, "eu-west-1"],
      [
        [["AWS/Logs", "IncomingLogEvents", "LogGroupName", ref(tf, "aws_cloudwatch_log_group", "name")]],
        "Sum",
        300,
        "eu-west-1",
      ],
      // The SKIPDATA share: the SKIPDATA filter's Sum over the records filter's, both hidden.
      [
        [
          [
            "Lab-VPC-Flow-Log-Detections-x",
            "SkipData",
            { id: "skipped", label: "SKIPDATA records", stat: "Sum", visible: false },
          ],
          [
            "Lab-VPC-Flow-Log-Detections-x",
            "Records",
            { id: "records", label: "Flow-log records", stat: "Sum", visible: false },
          ],
          [expect.objectContaining({ id: "share", expression: "IF(records > 0, 100 * skipped / records, 0)" })],
        ],
        undefined,
        300,
        "eu-west-1",
      ],
      // The port-scan alarm's own expression (no statistic: one value per period), its parts hidden.
      [
        [
          [
            expect.objectContaining({
              id: "pairs",
              visible: false,
              expression: expect.stringContaining('"Lab-VPC-Flow-Log-Port-Scan-Ports-x"'),
            }),
          ],
          [
            expect.objectContaining({
              id: "sources",
              visible: false,
              expression: expect.stringContaining('"Lab-VPC-Flow-Log-Port-Scan-Sources-x"'),
            }),
          ],
          [
            expect.objectContaining({
              id: "busiest",
              visible: false,
              expression: 'INSIGHT_RULE_METRIC("Lab-VPC-Flow-Log-Port-Scan-Sources-x", "MaxContributorValue")',
            }),
          ],
          [expect.objectContaining({ id: "spread", visible: false, expression: "pairs - sources + 1" })],
          [
            {
              id: "bound",
              expression: "IF(sources > 0, MIN([spread, busiest]), 0)",
              label: "Most ports one source may have probed",
            },
          ],
        ],
        undefined,
        300,
        "eu-west-1",
      ],
    ]);
  });

  it("the Contributor Insights rules' top contributors and a Logs Insights top-talkers table on the flow-log group", () => {
    const ruleNames = widgets.filter((w) => w.properties.insightRule).map((w) => w.properties.insightRule!.ruleName);
    expect(ruleNames.sort()).toEqual(
      Object.keys(resources(tf, "aws_cloudwatch_contributor_insight_rule"))
        .map((id) => `\${aws_cloudwatch_contributor_insight_rule.${id}.rule_name}`)
        .sort(),
    );
    const log = widgets.find((w) => w.type === "log")!;
    expect(log.properties.query).toContain(`SOURCE '${ref(tf, "aws_cloudwatch_log_group", "name")}'`);
  });

  it("lays the widgets out on CloudWatch's 24-column grid, without overlap", () => {
    for (const w of widgets) expect(w.x + w.width).toBeLessThanOrEqual(24);
    for (const w of widgets) expect([w.x, w.y, w.width, w.height].every(Number.isInteger)).toBe(true);
    const cells = widgets.flatMap((w) =>
      Array.from({ length: w.width * w.height }, (_, k) => `${w.x + (k % w.width)},${w.y + Math.floor(k / w.width)}`),
    );
    expect(new Set(cells).size).toBe(cells.length);
  });
});
