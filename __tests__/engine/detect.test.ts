/** `flowlogs detect` on scenario traffic with known answers: each detection fires on its incident, none on `quiet`. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectInLogs } from "../../engine/commands/detect-command";
import type { CommandIo } from "../../engine/commands/io";
import { EngineError } from "../../engine/engine-error";
import { detectionsFor } from "../../engine/commands/lab-detections";
import { findingsOf } from "../../engine/detect/findings";
import { scenario, SCENARIOS, type ScenarioName } from "../../engine/generate/scenarios";
import { generateLogs } from "../../engine/generate/write-generated-logs";
import { main } from "../../cli/flowlogs";
import { runQueryOnLogs } from "../../engine/commands/query-command";
import { rowObjects } from "../../engine/query/row-objects";
import { DEFAULT_STORAGE } from "../../monitoring/flow-log-storage";

const START = Date.UTC(2024, 4, 1) / 1000;
const quiet: CommandIo = { out: () => {}, err: () => {} };
let dir: string;
const folders = new Map<string, string>();

/** The scenario's files (text or Parquet), written once. */
async function logsOf(name: ScenarioName, format: "text" | "parquet" = "text"): Promise<string> {
  const key = `${name}-${format}`;
  if (!folders.has(key)) {
    const outDir = join(dir, key);
    await generateLogs({
      records: 0,
      source: scenario(name, START).records,
      outDir,
      storage: { ...DEFAULT_STORAGE, fileFormat: format === "parquet" ? "parquet" : "plain-text" },
      start: new Date(START * 1000),
    });
    folders.set(key, outDir);
  }
  return folders.get(key)!;
}

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "flowlogs-detect-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("each detection fires on its scenario, with its source, target and window", () => {
  // exfiltration raises no alarm: the top-talkers query and rule rank it (below).
  it.each(SCENARIOS.filter((s) => s !== "quiet" && s !== "exfiltration"))("%s", async (name) => {
    const [incident] = scenario(name, START).incidents;
    const findings = await detectInLogs({ logs: [await logsOf(name)], env: {} }, quiet);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({ detection: incident.detection, source: incident.source, target: incident.target });
    // The window holds the incident's minutes, and its alarm periods only.
    const start = Date.parse(finding.window_start) / 1000;
    const end = Date.parse(finding.window_end) / 1000;
    expect(start).toBeLessThanOrEqual(incident.firstMinute);
    expect(end).toBeGreaterThanOrEqual(incident.lastMinute + 60);
    expect(end - start).toBeLessThanOrEqual(incident.lastMinute + 60 - incident.firstMinute + 300);
    expect(finding.evidence).toBeGreaterThanOrEqual(incident.records);
    expect(finding.evidence).toBeLessThanOrEqual(incident.records * 1.1);
  });

  it("quiet traffic (HTTPS, DNS, NTP, the internet's stray SSH and RDP probes) has no finding", async () => {
    expect(scenario("quiet", START).incidents).toEqual([]);
    expect(await detectInLogs({ logs: [await logsOf("quiet")], env: {} }, quiet)).toEqual([]);
  });

  it("exfiltration: no alarm, and the top-talkers query (the top-talkers rule's offline form) ranks it first", async () => {
    const [incident] = scenario("exfiltration", START).incidents;
    const logs = await logsOf("exfiltration");
    expect(await detectInLogs({ logs: [logs], env: {} }, quiet)).toEqual([]);
    const rows = rowObjects(await runQueryOnLogs({ logs: [logs], name: "top-talkers" }, quiet));
    expect([rows[0].source, rows[0].destination]).toEqual([incident.source, incident.target]);
    // Far above the next pair (the instance's DNS, the busiest of its baseline).
    expect(Number(rows[0].bytes)).toBeGreaterThan(10 * Number(rows[1].bytes));
    const quietTop = rowObjects(await runQueryOnLogs({ logs: [await logsOf("quiet")], name: "top-talkers" }, quiet));
    expect(quietTop.some((r) => r.destination === incident.target)).toBe(false);
  });

  it("the same findings from the Parquet form", async () => {
    const text = await detectInLogs({ logs: [await logsOf("ssh-brute-force")], env: {} }, quiet);
    const parquet = await detectInLogs({ logs: [await logsOf("ssh-brute-force", "parquet")], env: {} }, quiet);
    expect(parquet).toEqual(text);
  });

  it("the brute force's finding names its technique and severity", async () => {
    const [finding] = await detectInLogs({ logs: [await logsOf("ssh-brute-force")], env: {} }, quiet);
    expect(finding).toMatchObject({ severity: "medium", technique: "T1110 Brute Force" });
  });
});

describe("the detections follow the lab's settings, as the stack deploys them", () => {
  it("a threshold above the attempts in 5 minutes: no finding", async () => {
    const logs = await logsOf("ssh-brute-force");
    const env = { LAB_SSH_RDP_ALARM_THRESHOLD: "1000" };
    expect(await detectInLogs({ logs: [logs], env }, quiet)).toEqual([]);
  });

  it("a VPC block that holds the attacker: its attempts are not from outside", async () => {
    const logs = await logsOf("ssh-brute-force");
    const env = { LAB_VPC_CIDR: "198.51.100.0/24", LAB_SUBNET_CIDR: "198.51.100.0/26" };
    expect(await detectInLogs({ logs: [logs], env }, quiet)).toEqual([]);
  });

  it("a bad setting is bad input, named as synth names it", async () => {
    const logs = await logsOf("quiet");
    const detect = detectInLogs({ logs: [logs], env: { LAB_SSH_RDP_ALARM_THRESHOLD: "0" } }, quiet);
    await expect(detect).rejects.toThrow(EngineError);
    await expect(detect).rejects.toThrow(
      /LAB_SSH_RDP_ALARM_THRESHOLD: got "0", expected a whole number from 1 to 100000/,
    );
  });
});

describe("findingsOf", () => {
  const detection = detectionsFor({})["ssh-rdp-rejected"]; // Sum per 5 minutes >= 10
  const minute = (m: number, matches: number, pairs: Record<string, number> = {}) => ({
    minuteSeconds: START + m * 60,
    sum: matches,
    sampleCount: Math.max(matches, 1),
    minimum: matches ? 1 : 0,
    maximum: matches ? 1 : 0,
    matches,
    events: matches + 5,
    pairs: new Map(Object.entries(pairs)),
  });

  it("one finding per episode in ALARM, each with its own window, evidence and top pair", () => {
    const quietMinutes = Array.from({ length: 60 }, (_, m) => minute(m, 0));
    quietMinutes[2] = minute(2, 12, { "192.0.2.1 10.0.0.10": 11, "192.0.2.9 10.0.0.10": 1 });
    quietMinutes[41] = minute(41, 6, { "192.0.2.7 10.0.0.11": 6 });
    quietMinutes[43] = minute(43, 6, { "192.0.2.7 10.0.0.11": 6 });
    expect(findingsOf(detection, quietMinutes)).toEqual([
      expect.objectContaining({
        window_start: "2024-05-01T00:00:00.000Z",
        window_end: "2024-05-01T00:05:00.000Z",
        source: "192.0.2.1",
        target: "10.0.0.10",
        evidence: 12,
      }),
      expect.objectContaining({
        window_start: "2024-05-01T00:40:00.000Z",
        window_end: "2024-05-01T00:45:00.000Z",
        source: "192.0.2.7",
        target: "10.0.0.11",
        evidence: 12,
      }),
    ]);
  });

  it("below the threshold in every period: none", () => {
    expect(findingsOf(detection, [minute(0, 9, { "192.0.2.1 10.0.0.10": 9 }), minute(5, 9)])).toEqual([]);
  });
});

describe("the command", () => {
  const run = async (...args: string[]) => {
    const io = { out: "", err: "" };
    const code = await main(["node", "flowlogs", ...args], {
      out: (t: string) => (io.out += t),
      err: (t: string) => (io.err += t),
    });
    return { code, ...io };
  };

  it("prints CSV with a header, exit 0 with or without findings", async () => {
    const found = await run("detect", "--logs", await logsOf("ping-deny"), "--format", "csv");
    expect(found.code).toBe(0);
    expect(found.out).toBe(
      "detection,severity,technique,window_start,window_end,source,target,evidence\n" +
        "ping-deny,low,,2024-05-01T00:20:00.000Z,2024-05-01T00:30:00.000Z,10.0.0.10,8.8.8.8,10\n",
    );
    const none = await run("detect", "--logs", await logsOf("quiet"), "--format", "json");
    expect([none.code, none.out]).toEqual([0, "[]\n"]);
  });

  it("replay --detection replays that detection's filter and alarm; an unknown one is exit 2", async () => {
    const logs = await logsOf("ssh-brute-force");
    const ssh = await run("replay", "--logs", logs, "--detection", "ssh-rdp-rejected", "--format", "json");
    expect(ssh.code).toBe(0);
    const report = JSON.parse(ssh.out) as { transitions: { timestamp: string; to: string }[] };
    expect(report.transitions.filter((t) => t.to === "ALARM")).toEqual([
      { timestamp: "2024-05-01T00:25:00.000Z", from: "OK", to: "ALARM" },
    ]);
    const ping = JSON.parse((await run("replay", "--logs", logs, "--format", "json")).out) as typeof report;
    expect(ping.transitions.some((t) => t.to === "ALARM")).toBe(false); // the default: the walkthrough's ping deny
    const bad = await run("replay", "--logs", logs, "--detection", "port-knock");
    expect([bad.code, bad.err]).toEqual([
      2,
      expect.stringContaining('--detection: got "port-knock", expected one of ping-deny, ssh-rdp-rejected'),
    ]);
  });

  it("--vpc-cidr takes a watched VPC's block instead of LAB_VPC_CIDR (the monitor stack's); a bad one is exit 2", async () => {
    const logs = await logsOf("ssh-brute-force");
    const lab = JSON.parse((await run("detect", "--logs", logs, "--format", "json")).out) as unknown[];
    expect(lab).toHaveLength(1);
    // A VPC whose block holds the attacker: its attempts are not from outside.
    const inside = await run("detect", "--logs", logs, "--format", "json", "--vpc-cidr", "198.51.100.0/24");
    expect([inside.code, inside.out]).toEqual([0, "[]\n"]);
    const bad = await run("detect", "--logs", logs, "--vpc-cidr", "198.51.100.1/24");
    expect([bad.code, bad.err]).toEqual([
      2,
      expect.stringMatching(/--vpc-cidr: got "198\.51\.100\.1\/24", expected a network address/),
    ]);
    const replay = await run(
      "replay",
      "--logs",
      logs,
      "--detection",
      "ssh-rdp-rejected",
      "--format",
      "json",
      "--vpc-cidr",
      "198.51.100.0/24",
    );
    expect(
      (JSON.parse(replay.out) as { transitions: { to: string }[] }).transitions.some((t) => t.to === "ALARM"),
    ).toBe(false);
  });

  it("generate --scenario writes the scenario and names its incident; an unknown one is exit 2", async () => {
    const out = join(dir, "generated");
    const ok = await run("generate", "--scenario", "ssh-brute-force", "--out", out);
    expect(ok.code).toBe(0);
    expect(ok.err).toMatch(/incident: ssh-rdp-rejected, 198\.51\.100\.23 -> 10\.0\.0\.10, 300 records/);
    const bad = await run("generate", "--scenario", "port-knock", "--out", out);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--scenario: got "port-knock", expected one of quiet, ping-deny, ssh-brute-force/);
    const both = await run("generate", "--scenario", "quiet", "--records", "10", "--out", out);
    expect([both.code, both.err]).toEqual([2, "flowlogs: give --records <n> or --scenario <name>, not both\n"]);
  });
});
