/**
 * The port-scan detection: the Contributor Insights rules and the alarm the stack deploys, and the
 * exact offline form, run side by side over the same records. The rules are read as AWS documents
 * them (ContributorInsights-RuleSyntax: CLF fields by position, filters ANDed, In/StartsWith ORed).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { parseIpv4Cidr, type Ipv4Cidr } from "../../config/cidr";
import { detectInLogs } from "../../engine/commands/detect-command";
import { replayLogs } from "../../engine/commands/replay-command";
import { ipv4Number, ProbeTracker, type ProbeWindows } from "../../engine/detect/probe-tracker";
import { portScanFindings, summarizeProbeWindows } from "../../engine/detect/port-scan-findings";
import { scenario, SCENARIOS } from "../../engine/generate/scenarios";
import { generateLogs } from "../../engine/generate/write-generated-logs";
import { labDetections } from "../../monitoring/detections";
import { destinationPrefix, portScanRules, probeSpec } from "../../monitoring/port-scan";
import { REJECTED_TCP_RULE, TOP_TALKERS_RULE } from "../../monitoring/contributor-rules";
import { contributorsByWindow, insightRuleReader } from "../../e2e/insight-rule-reader";
import { boundFromRules } from "../../e2e/port-scan-proven";
import { seededRandom } from "../../engine/generate/prng";
import { ref, resources, synthLab } from "../helpers";
import { DEFAULT_STORAGE } from "../../monitoring/flow-log-storage";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";

const block = (text: string) => parseIpv4Cidr(text) as Ipv4Cidr;
const START = Date.UTC(2024, 4, 1) / 1000;
const LAB_VPC = block("10.0.0.0/16");
const quiet = { out: () => {}, err: () => {} };

interface RuleDefinition {
  LogFormat: string;
  Fields: Record<string, string>;
  Contribution: { Keys: string[]; Filters: Record<string, unknown>[] };
  AggregateOn: string;
}

function probesOf(records: readonly { line: string; start: number }[], vpc = LAB_VPC): ProbeWindows {
  const tracker = new ProbeTracker(probeSpec(vpc), FLOW_LOG_FIELDS);
  for (const { line, start } of records) tracker.addMessage(start, line);
  return tracker.result();
}

const detection = (ports = 20, vpc = LAB_VPC) =>
  labDetections({
    flowLogFormat: "default",
    vpcCidr: vpc,
    sshRdpAlarmThreshold: 10,
    flowLogSilenceMinutes: 15,
    portScanPorts: ports,
    skipDataPercent: 1,
  })["port-scan"];

describe("the deployed rules count exactly what the offline form counts", () => {
  const rules = portScanRules(LAB_VPC);
  const definitions = { ports: rules.ports.definition("group"), sources: rules.sources.definition("group") };

  it.each(SCENARIOS)("%s: per window, the rules' statistics are the probes' pairs, sources and busiest", (name) => {
    const { records } = scenario(name, START);
    const pairs = contributorsByWindow(definitions.ports, records, 300);
    const sources = contributorsByWindow(definitions.sources, records, 300);
    const summaries = summarizeProbeWindows(probesOf(records));
    expect(summaries.map((s) => [s.windowSeconds, s.pairs, s.sources, s.busiest, s.bound])).toEqual(
      [...pairs.keys()].map((w) => [
        w,
        pairs.get(w)!.unique,
        sources.get(w)!.unique,
        sources.get(w)!.maxContributorValue,
        boundFromRules(definitions, records, 300).get(w),
      ]),
    );
    expect(summaries.length).toBeGreaterThan(0);
  });

  /** Random probes: sources sending 1 to 30 probes to random ports, some repeated. */
  function randomProbes(seed: number): { line: string; start: number }[] {
    const random = seededRandom(seed);
    const int = (n: number) => Math.floor(random() * n);
    return Array.from({ length: 400 }, () => {
      const source = `198.51.100.${int(12) + 1}`;
      const start = START + int(900);
      return {
        line: `2 123456789012 eni-1 ${source} 10.0.0.${int(3) + 10} 40000 ${int(40) + 1} 6 1 40 ${start} ${start + 59} REJECT OK`,
        start,
      };
    });
  }

  it.each([1, 2, 3, 4, 5])(
    "random probes (seed %i): the rules' bound is never below the most ports one source probed",
    (seed) => {
      const records = randomProbes(seed);
      const bound = boundFromRules(definitions, records, 300);
      const exact = summarizeProbeWindows(probesOf(records));
      expect(exact.length).toBeGreaterThan(1);
      for (const s of exact) expect(bound.get(s.windowSeconds)).toBeGreaterThanOrEqual(s.maxPorts);
      // And it is not simply the sum of every source's ports: the busiest source's probes cap it.
      expect(exact.some((s) => s.bound < s.pairs - s.sources + 1)).toBe(true);
    },
  );

  it("the internet's background: 20 sources probing 2 ports each in 5 minutes is no scan for either form", () => {
    const records = Array.from({ length: 20 }, (_, i) =>
      [23, 445].map((port) => ({
        line: `2 123456789012 eni-1 203.0.113.${i + 1} 10.0.0.10 50000 ${port} 6 1 40 ${START + i} ${START + 59} REJECT OK`,
        start: START + i,
      })),
    ).flat();
    const [window] = summarizeProbeWindows(probesOf(records));
    expect(window).toMatchObject({ pairs: 40, sources: 20, busiest: 2, bound: 2, maxPorts: 2 });
    expect(boundFromRules(definitions, records, 300).get(START)).toBe(2);
  });

  it("quiet traffic, busy servers' replies to ephemeral ports included (some rejected): neither form reaches 20", () => {
    const { records } = scenario("quiet", START);
    // Without the port conditions the replies would be a scan: the resolver alone answers 30 ports in 5 minutes.
    const replies = records.filter((r) => r.line.includes(" 10.0.0.2 10.0.0.10 53 ") && r.line.endsWith("REJECT OK"));
    expect(replies.length).toBeGreaterThanOrEqual(6 * 60);
    for (const s of summarizeProbeWindows(probesOf(records))) expect(s.bound).toBeLessThan(20);
    expect(portScanFindings(detection(), probesOf(records))).toEqual([]);
  });

  it("the scan: both forms reach the threshold in the scan's windows and only there", () => {
    const { records, incidents } = scenario("port-scan", START);
    const summaries = summarizeProbeWindows(probesOf(records));
    const raised = summaries.filter((s) => s.bound >= 20).map((s) => s.windowSeconds);
    expect(raised).toEqual([incidents[0].firstMinute, incidents[0].firstMinute + 300]);
    expect(summaries.filter((s) => s.maxPorts >= 20).map((s) => [s.windowSeconds, s.maxSource])).toEqual(
      raised.map((w) => [w, "203.0.113.50"]),
    );
  });
});

describe("a probe", () => {
  const line = (src: string, dst: string, srcport: number, dstport: number, action = "REJECT") =>
    `2 123456789012 eni-1 ${src} ${dst} ${srcport} ${dstport} 6 1 40 ${START} ${START + 59} ${action} OK`;
  const isProbe = (l: string, vpc = LAB_VPC) => Object.keys(probesOf([{ line: l, start: START }], vpc)).length > 0;
  const inRules = (l: string, vpc = LAB_VPC) =>
    insightRuleReader(portScanRules(vpc).ports.definition("g")).contributor(l) !== undefined;

  it.each([
    [
      "a rejected try from an ephemeral port to a service port of the VPC",
      line("203.0.113.5", "10.0.3.4", 40000, 22),
      true,
    ],
    [
      "the lowest unprivileged source port and the highest port below the ephemeral range",
      line("203.0.113.5", "10.0.3.4", 1024, 32767),
      true,
    ],
    ["accepted (a connection, not a probe)", line("203.0.113.5", "10.0.3.4", 40000, 22, "ACCEPT"), false],
    ["from a service port (a server's reply)", line("10.0.0.2", "10.0.3.4", 53, 40000), false],
    ["from port 1023", line("203.0.113.5", "10.0.3.4", 1023, 22), false],
    ["to an ephemeral port", line("10.0.0.20", "10.0.3.4", 8080, 32768), false],
    ["to an address outside the VPC", line("10.0.3.4", "198.51.100.1", 40000, 22), false],
    ["a record without ports (NODATA)", `2 123456789012 eni-1 - - - - - - - ${START} ${START + 59} - NODATA`, false],
  ])("%s: %s", (_, l, expected) => {
    expect(isProbe(l)).toBe(expected);
    expect(inRules(l)).toBe(expected);
  });

  it("the rules match destinations by the enclosing octet boundary; the offline form by the exact block", () => {
    const vpc = block("10.0.16.0/20");
    const outsideBlock = line("203.0.113.5", "10.0.40.1", 40000, 22);
    expect([isProbe(outsideBlock, vpc), inRules(outsideBlock, vpc)]).toEqual([false, true]);
    const inside = line("203.0.113.5", "10.0.17.1", 40000, 22);
    expect([isProbe(inside, vpc), inRules(inside, vpc)]).toEqual([true, true]);
  });

  it("destinationPrefix: the block widened to an octet boundary", () => {
    expect(
      ["10.0.0.0/16", "10.0.16.0/20", "10.0.0.0/24", "10.0.0.16/28", "10.0.0.0/8", "172.16.0.0/12"].map((c) =>
        destinationPrefix(block(c)),
      ),
    ).toEqual(["10.0.", "10.0.", "10.0.0.", "10.0.0.", "10.", "172."]);
  });

  it("ipv4Number reads dotted quads and refuses anything else", () => {
    expect(["0.0.0.0", "10.0.0.10", "255.255.255.255"].map((t) => ipv4Number(t))).toEqual([0, 167772170, 2 ** 32 - 1]);
    for (const bad of ["", "-", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "2600:1f18::1", "1.2.3.4 ", "1234.1.1.1"])
      expect(ipv4Number(bad)).toBeNaN();
  });
});

describe("the rule reader (e2e/insight-rule-reader.ts) reads AWS's example rules as documented", () => {
  const record = (protocol: number, action: string) =>
    `2 123456789012 eni-7 198.51.100.9 10.0.0.10 40000 22 ${protocol} 3 180 ${START} ${START + 59} ${action} OK`;

  it("rejected TCP by interface and source: both filters must pass", () => {
    const reader = insightRuleReader(REJECTED_TCP_RULE.definition("g"));
    expect(reader.contributor(record(6, "REJECT"))).toBe("eni-7 198.51.100.9");
    expect(reader.contributor(record(17, "REJECT"))).toBeUndefined();
    expect(reader.contributor(record(6, "ACCEPT"))).toBeUndefined();
  });

  it("top talkers: no filter, keyed by source and destination; a JSON rule is refused", () => {
    expect(insightRuleReader(TOP_TALKERS_RULE.definition("g")).contributor(record(6, "ACCEPT"))).toBe(
      "198.51.100.9 10.0.0.10",
    );
    expect(() => insightRuleReader(JSON.stringify({ LogFormat: "JSON" }))).toThrow(/only CLF rules/);
  });
});

describe("findings", () => {
  it("one per source and run of windows at the threshold, with the distinct ports and the most probed target", () => {
    const w = (n: number) => START + n * 300;
    const probes: ProbeWindows = {
      // 192.0.2.1 probes 20 ports in windows 0 and 1 (and 5 more in 1), then again in window 3.
      [w(0)]: Array.from({ length: 20 }, (_, p) => [ipv4Number("192.0.2.1"), p + 1, ipv4Number("10.0.0.10")]).flat(),
      [w(1)]: Array.from({ length: 25 }, (_, p) => [ipv4Number("192.0.2.1"), p + 1, ipv4Number("10.0.0.11")]).flat(),
      [w(3)]: [
        ...Array.from({ length: 20 }, (_, p) => [ipv4Number("192.0.2.1"), p + 100, ipv4Number("10.0.0.12")]).flat(),
        // 19 ports: one short of the threshold.
        ...Array.from({ length: 19 }, (_, p) => [ipv4Number("192.0.2.9"), p + 1, ipv4Number("10.0.0.12")]).flat(),
      ],
    };
    expect(portScanFindings(detection(), probes)).toEqual([
      {
        detection: "port-scan",
        severity: "medium",
        technique: "T1046 Network Service Discovery",
        window_start: new Date(w(0) * 1000).toISOString(),
        window_end: new Date(w(2) * 1000).toISOString(),
        source: "192.0.2.1",
        target: "10.0.0.11",
        evidence: 25,
      },
      expect.objectContaining({
        window_start: new Date(w(3) * 1000).toISOString(),
        window_end: new Date(w(4) * 1000).toISOString(),
        source: "192.0.2.1",
        target: "10.0.0.12",
        evidence: 20,
      }),
    ]);
    expect(portScanFindings(detection(19), probes).map((f) => f.source)).toEqual([
      "192.0.2.1",
      "192.0.2.1",
      "192.0.2.9",
    ]);
  });
});

describe("flowlogs detect and replay over the files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "flowlogs-port-scan-"));
    for (const format of ["text", "parquet"] as const)
      await generateLogs({
        records: 0,
        source: scenario("port-scan", START).records,
        outDir: join(dir, format),
        storage: { ...DEFAULT_STORAGE, fileFormat: format === "parquet" ? "parquet" : "plain-text" },
        start: new Date(START * 1000),
      });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("detect names the scanner, its target, its ten minutes and its 300 ports, from text and Parquet alike", async () => {
    const text = await detectInLogs({ logs: [join(dir, "text")], env: {} }, quiet);
    expect(text).toEqual([
      expect.objectContaining({
        detection: "port-scan",
        source: "203.0.113.50",
        target: "10.0.0.10",
        window_start: "2024-05-01T00:20:00.000Z",
        window_end: "2024-05-01T00:30:00.000Z",
        evidence: 300,
      }),
    ]);
    expect(await detectInLogs({ logs: [join(dir, "parquet")], env: {} }, quiet)).toEqual(text);
  });

  it("LAB_PORT_SCAN_PORTS above the ports probed in 5 minutes: no finding; LAB_VPC_CIDR elsewhere: no probe", async () => {
    const logs = [join(dir, "text")];
    expect(await detectInLogs({ logs, env: { LAB_PORT_SCAN_PORTS: "151" } }, quiet)).toEqual([]);
    const elsewhere = { LAB_VPC_CIDR: "172.16.0.0/16", LAB_SUBNET_CIDR: "172.16.0.0/24" };
    expect(await detectInLogs({ logs, env: elsewhere }, quiet)).toEqual([]);
  });

  it("replay --detection port-scan replays the deployed alarm on its bound: ALARM at the first window's end", async () => {
    const report = await replayLogs({ logs: [join(dir, "text")], detection: "port-scan", env: {} }, quiet);
    expect(report.datapoints.filter((d) => d.value >= 20)).toEqual([
      { timestamp: "2024-05-01T00:20:00.000Z", value: 150 },
      { timestamp: "2024-05-01T00:25:00.000Z", value: 150 },
    ]);
    expect(report.transitions.filter((t) => t.to === "ALARM" || t.from === "ALARM")).toEqual([
      { timestamp: "2024-05-01T00:25:00.000Z", from: "OK", to: "ALARM" },
      { timestamp: "2024-05-01T00:35:00.000Z", from: "ALARM", to: "OK" },
    ]);
  });
});

describe("the lab stack deploys the port-scan detection", () => {
  const { json, tf } = synthLab({
    LAB_NAME_SUFFIX: "x",
    LAB_PORT_SCAN_PORTS: "35",
    LAB_VPC_CIDR: "10.8.0.0/16",
    LAB_SUBNET_CIDR: "10.8.1.0/24",
  });
  const rules = resources(tf, "aws_cloudwatch_contributor_insight_rule");
  const ruleId = (name: string) => Object.entries(rules).find(([, r]) => r.rule_name === name)![0];

  it("two rules on the flow-log group: the probes by (source, port) and by source, filtered as the offline form", () => {
    const ports = JSON.parse(
      String(rules[ruleId("Lab-VPC-Flow-Log-Port-Scan-Ports-x")].rule_definition),
    ) as RuleDefinition;
    const sources = JSON.parse(
      String(rules[ruleId("Lab-VPC-Flow-Log-Port-Scan-Sources-x")].rule_definition),
    ) as RuleDefinition;
    expect(ports).toMatchObject({
      LogGroupNames: [ref(tf, "aws_cloudwatch_log_group", "name")],
      LogFormat: "CLF",
      Fields: { "4": "srcaddr", "5": "dstaddr", "6": "srcport", "7": "dstport", "13": "action" },
      Contribution: {
        Keys: ["srcaddr", "dstport"],
        Filters: [
          { Match: "action", In: ["REJECT"] },
          { Match: "srcport", GreaterThan: 1023 },
          { Match: "dstport", LessThan: 32768 },
          { Match: "dstaddr", StartsWith: ["10.8."] },
        ],
      },
      AggregateOn: "Count",
    });
    expect(sources).toEqual({ ...ports, Contribution: { ...ports.Contribution, Keys: ["srcaddr"] } });
    // AWS's limits: at most four filters, four keys, ten values per filter.
    expect(ports.Contribution.Filters.length).toBeLessThanOrEqual(4);
  });

  it("an alarm on the smaller of pairs - sources + 1 and the busiest source at LAB_PORT_SCAN_PORTS, after both rules, notifying the topic", () => {
    const ruleRef = (name: string) => `aws_cloudwatch_contributor_insight_rule.${ruleId(name)}`;
    expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "CloudWatch-Alarm-Port-Scan-x",
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 35,
      evaluation_periods: 1,
      datapoints_to_alarm: 1,
      treat_missing_data: "notBreaching",
      alarm_actions: [ref(tf, "aws_sns_topic", "arn")],
      metric_query: [
        {
          id: "pairs",
          expression: 'INSIGHT_RULE_METRIC("Lab-VPC-Flow-Log-Port-Scan-Ports-x", "UniqueContributors")',
          label: "Distinct (source, port) probes",
          return_data: false,
          period: 300,
        },
        {
          id: "sources",
          expression: 'INSIGHT_RULE_METRIC("Lab-VPC-Flow-Log-Port-Scan-Sources-x", "UniqueContributors")',
          label: "Distinct probing sources",
          return_data: false,
          period: 300,
        },
        {
          id: "busiest",
          expression: 'INSIGHT_RULE_METRIC("Lab-VPC-Flow-Log-Port-Scan-Sources-x", "MaxContributorValue")',
          label: "Most probes from one source",
          return_data: false,
          period: 300,
        },
        {
          id: "spread",
          expression: "pairs - sources + 1",
          label: "Ports beyond each source's first, plus one",
          return_data: false,
          period: 300,
        },
        {
          id: "bound",
          expression: "IF(sources > 0, MIN([spread, busiest]), 0)",
          label: "Most ports one source may have probed",
          return_data: true,
          period: 300,
        },
      ],
      depends_on: [ruleRef("Lab-VPC-Flow-Log-Port-Scan-Ports-x"), ruleRef("Lab-VPC-Flow-Log-Port-Scan-Sources-x")],
    });
    const alarm = Object.values(resources(tf, "aws_cloudwatch_metric_alarm")).find(
      (a) => a.alarm_name === "CloudWatch-Alarm-Port-Scan-x",
    )!;
    // A metric math alarm has no metric, statistic or period of its own.
    for (const key of ["metric_name", "namespace", "statistic", "period"]) expect(alarm).not.toHaveProperty(key);
  });

  it("the default threshold is 20", () => {
    const alarms = Object.values(resources(synthLab().tf, "aws_cloudwatch_metric_alarm"));
    expect(alarms.find((a) => a.alarm_name === "CloudWatch-Alarm-Port-Scan")?.threshold).toBe(20);
  });
});
