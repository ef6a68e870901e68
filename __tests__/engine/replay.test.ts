import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { replayLogs } from "../../engine/commands/replay-command";
import { compilePattern } from "../../engine/filter-pattern";
import { DEFAULT_HEADER } from "../../engine/generate/synthetic-records";
import { replayAlarm } from "../../engine/replay/alarm-evaluation";
import { metricFromEvents, type LogEvent } from "../../engine/replay/metric-datapoints";
import { PING_DENY_ALARM, PING_DENY_FILTER, type AlarmRule } from "../../monitoring/ping-deny";
import { generatedLogs, readRecords } from "./generated-logs";
import { quiet } from "./quiet-io";

const T0 = Date.UTC(2024, 4, 1, 12, 0) / 1000;
const iso = (minute: number) => new Date((T0 + minute * 60) * 1000).toISOString();
const ping = (minute: number, action: "ACCEPT" | "REJECT"): LogEvent => ({
  timestampSeconds: T0 + minute * 60 + 5,
  message: `2 123456789012 eni-1 10.0.0.49 172.217.9.206 0 0 1 3 252 ${T0 + minute * 60 + 5} ${T0 + minute * 60 + 64} ${action} OK`,
});
const ssh = (minute: number): LogEvent => ({
  timestampSeconds: T0 + minute * 60 + 1,
  message: `2 123456789012 eni-1 18.206.107.25 10.0.0.49 40000 22 6 10 900 ${T0 + minute * 60 + 1} ${T0 + minute * 60 + 60} ACCEPT OK`,
});

function replay(events: LogEvent[], alarm: AlarmRule = PING_DENY_ALARM) {
  const minutes = metricFromEvents(events, PING_DENY_FILTER, compilePattern(PING_DENY_FILTER.pattern));
  const result = replayAlarm(minutes, alarm);
  return {
    datapoints: result.datapoints.map((d) => [iso((d.periodSeconds - T0) / 60), d.value]),
    transitions: result.transitions.map((t) => [iso((t.atSeconds - T0) / 60), t.from, t.to]),
  };
}

describe("alarm replay with the deployed filter and alarm", () => {
  // SSH every minute 0-9; pings ACCEPTed in minute 1, REJECTed (twice) in minutes 4 and 5.
  const events = [
    ...Array.from({ length: 10 }, (_, m) => ssh(m)),
    ping(1, "ACCEPT"),
    ping(4, "REJECT"),
    ping(4, "REJECT"),
    ping(5, "REJECT"),
  ];

  it("publishes 1 per match and the default value (0) for minutes with events but no match", () => {
    const { datapoints } = replay(events);
    expect(datapoints).toEqual(Array.from({ length: 10 }, (_, m) => [iso(m), m === 4 ? 2 : m === 5 ? 1 : 0]));
  });

  it("goes to ALARM when the first REJECT minute closes and back to OK after the last", () => {
    expect(replay(events).transitions).toEqual([
      [iso(1), "INSUFFICIENT_DATA", "OK"],
      [iso(5), "OK", "ALARM"],
      [iso(7), "ALARM", "OK"],
    ]);
  });

  it("treats minutes with no events at all as missing, not breaching (notBreaching)", () => {
    const sparse = [ssh(0), ping(3, "REJECT")];
    expect(replay(sparse).datapoints).toEqual([
      [iso(0), 0],
      [iso(3), 1],
    ]);
    expect(replay(sparse).transitions).toEqual([
      [iso(1), "INSUFFICIENT_DATA", "OK"],
      [iso(4), "OK", "ALARM"],
      [iso(5), "ALARM", "OK"],
    ]);
  });

  it("honours evaluation periods, datapoints to alarm and the other missing-data rules", () => {
    const twoOfThree: AlarmRule = { ...PING_DENY_ALARM, evaluationPeriods: 3, datapointsToAlarm: 2 };
    const spread = [ssh(0), ping(1, "REJECT"), ssh(2), ping(3, "REJECT"), ssh(4), ssh(5), ssh(6)];
    expect(replay(spread, twoOfThree).transitions).toEqual([
      [iso(1), "INSUFFICIENT_DATA", "OK"],
      [iso(4), "OK", "ALARM"],
      [iso(5), "ALARM", "OK"],
    ]);
    const gap = [ping(0, "REJECT"), ssh(3)];
    expect(replay(gap, { ...PING_DENY_ALARM, treatMissingData: "missing" }).transitions).toEqual([
      [iso(1), "INSUFFICIENT_DATA", "ALARM"],
      [iso(2), "ALARM", "INSUFFICIENT_DATA"],
      [iso(4), "INSUFFICIENT_DATA", "OK"],
      [iso(5), "OK", "INSUFFICIENT_DATA"], // the logs stop: no data again
    ]);
    expect(replay(gap, { ...PING_DENY_ALARM, treatMissingData: "ignore" }).transitions).toEqual([
      [iso(1), "INSUFFICIENT_DATA", "ALARM"],
      [iso(4), "ALARM", "OK"],
    ]);
    expect(replay(gap, { ...PING_DENY_ALARM, treatMissingData: "breaching" }).transitions).toEqual([
      [iso(1), "INSUFFICIENT_DATA", "ALARM"],
      [iso(4), "ALARM", "OK"],
      [iso(5), "OK", "ALARM"], // the logs stop: missing data breaches
    ]);
  });
});

describe("replay of the committed walkthrough samples", () => {
  it("alarms when the rejected pings start (06:18) and clears after the last one (06:20)", async () => {
    const io = { out: () => {}, err: () => {} };
    const report = await replayLogs({ logs: [join(__dirname, "..", "..", "samples", "walkthrough")] }, io);
    expect(report.datapoints.filter((d) => d.value > 0).map((d) => d.timestamp)).toEqual([
      "2021-05-21T06:18:00.000Z",
      "2021-05-21T06:19:00.000Z",
      "2021-05-21T06:20:00.000Z",
    ]);
    expect(report.transitions).toEqual([
      { timestamp: "2021-05-21T05:51:00.000Z", from: "INSUFFICIENT_DATA", to: "OK" },
      { timestamp: "2021-05-21T06:19:00.000Z", from: "OK", to: "ALARM" },
      { timestamp: "2021-05-21T06:22:00.000Z", from: "ALARM", to: "OK" },
    ]);
  });
});

describe("replay of generated logs, checked against a replay of the records read here", () => {
  const START = 10;
  /** The report replayLogs should give for these records, computed without DuckDB. */
  function expected(records: string[][]) {
    const events = records.map((r) => ({ timestampSeconds: Number(r[START]), message: r.join(" ") }));
    const minutes = metricFromEvents(events, PING_DENY_FILTER, compilePattern(PING_DENY_FILTER.pattern));
    const result = replayAlarm(minutes, PING_DENY_ALARM);
    const at = (seconds: number) => new Date(seconds * 1000).toISOString();
    return {
      datapoints: result.datapoints.map((d) => ({ timestamp: at(d.periodSeconds), value: d.value })),
      transitions: result.transitions.map((t) => ({ timestamp: at(t.atSeconds), from: t.from, to: t.to })),
    };
  }

  it("gives the same datapoints and transitions from gzip text and from Parquet", async () => {
    const { textDir, parquetDir } = await generatedLogs();
    const want = expected(readRecords(textDir));
    expect(want.datapoints.some((d) => d.value > 0)).toBe(true);
    const io = quiet();
    expect(await replayLogs({ logs: [textDir] }, io)).toEqual(want);
    expect(io.errors).toBe("flowlogs: 34 files, 2000 lines read, 2000 records used, 0 rejected\n");
    expect(await replayLogs({ logs: [parquetDir] }, quiet())).toEqual(want);
  });

  it("rearranges a file in another field order into the message CloudWatch would have received", async () => {
    const { textDir } = await generatedLogs();
    const records = readRecords(textDir);
    const dir = mkdtempSync(join(tmpdir(), "flowlogs-replay-order-"));
    try {
      const fields = DEFAULT_HEADER.split(" ");
      const order = fields.map((_, i) => i).reverse(); // every field moves
      const lines = records.map((r) => order.map((i) => r[i]).join(" "));
      writeFileSync(join(dir, "reversed.log"), [order.map((i) => fields[i]).join(" "), ...lines].join("\n") + "\n");
      expect(await replayLogs({ logs: [dir] }, quiet())).toEqual(expected(records));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("replays the intact records of a truncated gzip file once, and reports the file", async () => {
    const { textDir } = await generatedLogs();
    const dir = mkdtempSync(join(tmpdir(), "flowlogs-replay-test-"));
    try {
      // One file of all the records, cut in the middle of a line.
      const lines = readRecords(textDir).map((r) => r.join(" "));
      const text = [DEFAULT_HEADER, ...lines].join("\n") + "\n";
      const whole = gzipSync(text);
      writeFileSync(join(dir, "all.log.gz"), whole.subarray(0, Math.floor(whole.length * 0.6)));
      const io = quiet();
      const report = await replayLogs({ logs: [dir] }, io);
      const kept = Number(/the (\d+) records before it kept/.exec(io.errors)?.[1]);
      expect(kept).toBeGreaterThan(100);
      expect(kept).toBeLessThan(lines.length);
      expect(report).toEqual(expected(lines.slice(0, kept).map((l) => l.split(" "))));
      expect(io.errors).toMatch(new RegExp(`all\\.log\\.gz:${kept + 2}: broken gzip data`));
      expect(io.errors).toMatch(new RegExp(`1 file, ${kept + 1} lines read, ${kept} records used, 1 rejected\\n$`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
