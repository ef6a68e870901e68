/**
 * The metric filters follow the format the flow log writes: CloudWatch Logs matches a space-delimited
 * pattern only on events with as many fields, so each detection's pattern names every field of the
 * deployed format. Proven on every scenario's records, written in both formats.
 */
import { parseIpv4Cidr, type Ipv4Cidr } from "../../config/cidr";
import { extendRecord } from "../../engine/generate/extended-fields";
import { scenario, SCENARIOS } from "../../engine/generate/scenarios";
import { compilePattern } from "../../engine/filter-pattern";
import { labDetections, type DetectionSettings } from "../../monitoring/detections";
import { EXTENDED_FIELDS, FLOW_LOG_FIELDS, flowLogFields, KNOWN_FIELDS } from "../../monitoring/flow-log-fields";
import { PING_DENY_FILTER } from "../../monitoring/ping-deny";
import { positionalPattern } from "../../monitoring/positional-pattern";

const settings = (flowLogFormat: "default" | "extended"): DetectionSettings => ({
  flowLogFormat,
  vpcCidr: parseIpv4Cidr("10.0.0.0/24") as Ipv4Cidr,
  sshRdpAlarmThreshold: 10,
  flowLogSilenceMinutes: 15,
  portScanPorts: 20,
  skipDataPercent: 1,
});
const walkthrough = labDetections(settings("default"));
const extended = labDetections(settings("extended"));
const positional = ["ping-deny", "ssh-rdp-rejected"] as const;
const lines = SCENARIOS.flatMap((name) => scenario(name, Date.UTC(2024, 4, 1) / 1000).records.map((r) => r.line));

test("the extended format is the default one, then the fields of versions 3 to 5", () => {
  expect(flowLogFields("default")).toBe(FLOW_LOG_FIELDS);
  expect(KNOWN_FIELDS.slice(0, FLOW_LOG_FIELDS.length)).toEqual(FLOW_LOG_FIELDS);
  expect(EXTENDED_FIELDS.map((f) => f.field).join(" ")).toBe(
    "vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path",
  );
  expect(new Set(KNOWN_FIELDS.map((f) => f.column)).size).toBe(KNOWN_FIELDS.length);
});

test("the walkthrough's pattern is unchanged on the default format", () => {
  expect(PING_DENY_FILTER.pattern).toBe(
    '[version, account, eni, source, destination, srcport, destport, protocol="1", packets, bytes, starttime, endtime, action="REJECT", flowlogstatus]',
  );
  expect(walkthrough["ping-deny"].filter).toEqual(PING_DENY_FILTER);
});

test.each([...positional, "flow-log-skipdata"] as const)(
  "%s: the extended pattern matches an extended record exactly when the walkthrough's matches the default one",
  (id) => {
    const filters = (d: typeof walkthrough) =>
      id === "flow-log-skipdata" ? [d[id].filter, d[id].denominator] : [d[id].filter];
    const pairs = filters(walkthrough).map((f, i) => [
      compilePattern(f.pattern),
      compilePattern(filters(extended)[i].pattern),
    ]);
    let matched = 0;
    for (const line of lines) {
      const longer = extendRecord(line, { vpcId: "vpc-1", region: "us-east-1" });
      for (const [short, long] of pairs) {
        expect([line, long.matches(longer)]).toEqual([line, short.matches(line)]);
        if (short.matches(line)) matched++;
        // A pattern of one format never matches the other's records: the field count differs.
        expect(short.matches(longer)).toBe(false);
        expect(long.matches(line)).toBe(false);
      }
    }
    expect(matched).toBeGreaterThan(0);
  },
);

test("a positional pattern refuses a column the format does not have", () => {
  expect(() => positionalPattern(FLOW_LOG_FIELDS, { vpc_id: 'vpc_id="vpc-1"' })).toThrow(/no column vpc_id/);
});
