/**
 * What is deployed is what is proven: the metric filter, the alarm and every named query are read back from
 * the emulator and run, as deployed, through the offline engine on flow logs with known answers (the
 * walkthrough's story, with the deployed instance's private IP). The deployed run must equal the run of the
 * project's own definitions, and both must give the answers counted independently from the records.
 */
import { GetNamedQueryCommand, ListNamedQueriesCommand } from "@aws-sdk/client-athena";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeMetricFiltersCommand, type MetricFilter } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { replayLogs, type ReplayReport } from "../engine/commands/replay-command";
import { runQueryOnLogs } from "../engine/commands/query-command";
import type { CommandIo } from "../engine/commands/io";
import { STORY, walkthroughRecords } from "../engine/generate/walkthrough-story";
import { DEFAULT_HEADER } from "../engine/generate/synthetic-records";
import { FLOW_LOG_VIEW } from "../engine/query/flow-log-view";
import { NAMED_QUERIES, renderQuery } from "../monitoring/named-queries";
import { PING_DENY_ALARM, type MetricFilterDefinition } from "../monitoring/ping-deny";
import { loadConfig } from "../config/lab-config";
import { labAlarmNames } from "../config/names";
import { replayMinutes } from "../engine/commands/replay-minutes";
import { findingsOf } from "../engine/detect/findings";
import { scenario } from "../engine/generate/scenarios";
import { generateLogs } from "../engine/generate/write-generated-logs";
import { labDetections } from "../monitoring/detections";
import { EMULATOR_ACCOUNT, settingsOf, type Deployment } from "./deployments";
import { clients, namesOf } from "./emulator";
import { provePortScan } from "./port-scan-proven";
import { proveSkipData } from "./skipdata-proven";
import { asAlarm } from "./deployed-alarm";
import { flowLogFields } from "../monitoring/flow-log-fields";

const quiet: CommandIo = { out: () => undefined, err: () => undefined };

export async function proveDeployed(endpoint: string, d: Deployment): Promise<string> {
  const errors: string[] = [];
  const c = clients(endpoint, d.region, errors);
  const names = namesOf(d);

  const filters = (await c.logs.send(new DescribeMetricFiltersCommand({ logGroupName: names.logGroup }))).metricFilters;
  const alarms = (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: labAlarmNames(names) })))
    .MetricAlarms;
  const instance = (
    await c.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:Name", Values: [names.instance] }] }))
  ).Reservations?.[0]?.Instances?.[0];
  const ids = (await c.athena.send(new ListNamedQueriesCommand({ WorkGroup: names.athenaWorkgroup }))).NamedQueryIds;
  const queries = [];
  for (const id of ids ?? [])
    queries.push((await c.athena.send(new GetNamedQueryCommand({ NamedQueryId: id }))).NamedQuery);
  if (errors.length) throw new Error(`reading back failed: ${errors.join("; ")}`);
  const ip = instance?.PrivateIpAddress;
  if (!ip) throw new Error("the instance is missing");
  const deployedFilter = asFilter(filters, names.metricFilter);
  const deployedAlarm = asAlarm(alarms, names.alarm);
  // The project's definitions for this deployment's settings, with its names.
  const { config } = loadConfig(settingsOf(d));
  const detections = labDetections(config);
  const sshRdp = detections["ssh-rdp-rejected"];
  const ourSshRdpFilter = {
    ...sshRdp.filter,
    filterName: names.sshRdpMetricFilter,
    metricNamespace: names.detectionNamespace,
  };
  const ourSshRdpAlarm = { ...sshRdp.alarm, alarmName: names.sshRdpAlarm };

  const work = mkdtempSync(join(tmpdir(), "lab-proven-"));
  // Apart from the story: the queries below read every file under `work`.
  const sshLogs = mkdtempSync(join(tmpdir(), "lab-proven-ssh-rdp-"));
  try {
    // The walkthrough's story, from the deployed instance's address.
    const lines = walkthroughRecords().map((line) => line.split(` ${STORY.instanceIp} `).join(` ${ip} `));
    writeFileSync(join(work, "story.log"), [DEFAULT_HEADER, ...lines].join("\n") + "\n");
    const logs = [work];
    const problems: string[] = [];

    // The metric filter and the alarm.
    // The story is in the walkthrough's (default) format, which the lab's run deploys.
    const env = settingsOf(d);
    const deployed = await replayLogs({ logs, env, filter: deployedFilter, alarm: deployedAlarm }, quiet);
    const ours = await replayLogs({ logs, env, filter: detections["ping-deny"].filter, alarm: PING_DENY_ALARM }, quiet);
    if (JSON.stringify(deployed) !== JSON.stringify(ours))
      problems.push("replay: the deployed filter and alarm answer differently from the project's");
    const expected = rejectedPingMinutes(lines);
    const fired = nonZeroMinutes(deployed);
    if (JSON.stringify(fired) !== JSON.stringify(expected))
      problems.push(`replay: datapoints at ${fired.join(", ")}, the records' rejected pings at ${expected.join(", ")}`);
    if (!deployed.transitions.some((t) => t.to === "ALARM"))
      problems.push("replay: the alarm never fires on rejected pings");

    // The SSH/RDP detection: deployed exactly as defined, and firing on attempts from outside only.
    const deployedSshRdp = {
      filter: asFilter(filters, names.sshRdpMetricFilter),
      alarm: asAlarm(alarms, names.sshRdpAlarm),
    };
    if (JSON.stringify(deployedSshRdp) !== JSON.stringify({ filter: ourSshRdpFilter, alarm: ourSshRdpAlarm }))
      problems.push("ssh-rdp-rejected: the deployed filter or alarm differs from the project's");
    const attempts = sshRdpAttempts(ip, config.sshRdpAlarmThreshold);
    writeFileSync(join(sshLogs, "attempts.log"), [DEFAULT_HEADER, ...attempts.lines].join("\n") + "\n");
    const sshReplay = await replayLogs({ logs: [sshLogs], env, ...deployedSshRdp }, quiet);
    const sshSum = sshReplay.datapoints.reduce((n, p) => n + p.value, 0);
    if (sshSum !== attempts.fromOutside)
      problems.push(
        `ssh-rdp-rejected: ${sshSum} attempts counted, the records hold ${attempts.fromOutside} from outside`,
      );
    if (!sshReplay.transitions.some((t) => t.to === "ALARM"))
      problems.push("ssh-rdp-rejected: the alarm never fires on attempts from outside");

    // Flow-log silence: the deployed rule is the project's, and it fires on the gap scenario only.
    const silence = detections["flow-log-silence"];
    const deployedSilence = asAlarm(alarms, names.flowLogSilenceAlarm);
    if (JSON.stringify(deployedSilence) !== JSON.stringify({ ...silence.alarm, alarmName: names.flowLogSilenceAlarm }))
      problems.push("flow-log-silence: the deployed alarm differs from the project's");
    for (const name of ["quiet", "flow-log-gap"] as const) {
      const folder = mkdtempSync(join(tmpdir(), `lab-proven-${name}-`));
      try {
        await generateLogs({
          records: 0,
          source: scenario(name, STORY_START).records,
          outDir: folder,
          logFormat: config.flowLogFormat,
        });
        const found = findingsOf(
          { ...silence, alarm: deployedSilence },
          (
            await replayMinutes({
              logs: [folder],
              fields: flowLogFields(config.flowLogFormat),
              filters: [silence.filter],
              by: "flow-log-silence",
            })
          ).minutes[0],
        );
        if (found.length !== (name === "quiet" ? 0 : 1))
          problems.push(`flow-log-silence: ${found.length} findings on the ${name} scenario`);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    }

    const portScan = await provePortScan(c, names, detections["port-scan"]);
    problems.push(...portScan.problems);
    const skipData = await proveSkipData(
      {
        filter: asFilter(filters, names.skipDataMetricFilter),
        denominator: asFilter(filters, names.recordsMetricFilter),
      },
      alarms?.find((a) => a.AlarmName === names.skipDataAlarm),
      names,
      detections["flow-log-skipdata"],
      config.flowLogFormat,
    );
    problems.push(...skipData.problems);

    // Every named query, as deployed (its table bound to the local files), against the project's rendering.
    const table = new RegExp(`\\b${names.glueDatabase}\\.${names.glueTable}\\b`, "g");
    for (const query of queries) {
      const definition = NAMED_QUERIES.find((q) => q.name === query?.Name);
      if (!query?.QueryString || !definition) {
        problems.push(`query ${query?.Name}: not one of the project's`);
        continue;
      }
      const sql = query.QueryString.replace(table, FLOW_LOG_VIEW);
      const params = Object.fromEntries(definition.params.map((p) => [p.name, ip]));
      const mine = renderQuery(definition, { table: FLOW_LOG_VIEW, params });
      const [got, want] = [
        await runQueryOnLogs({ sql, logs }, quiet),
        await runQueryOnLogs({ sql: mine, logs }, quiet),
      ];
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(`query ${query.Name}: deployed and project SQL answer differently`);
      const known = knownAnswer(query.Name ?? "", lines, ip);
      if (known !== undefined && got.rows.length !== known)
        problems.push(`query ${query.Name}: ${got.rows.length} rows, the records hold ${known}`);
    }
    if (problems.length) throw new Error(problems.join("\n"));
    return `filters, alarms and ${queries.length} queries as deployed: the project's answers on the walkthrough's ${lines.length} records (${expected.length} rejected-ping minutes, the alarm fires) and on ${attempts.lines.length} SSH/RDP records (${attempts.fromOutside} from outside, the alarm fires); ${portScan.summary}; ${skipData.summary}`;
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(sshLogs, { recursive: true, force: true });
  }
}

/** A deployed metric filter, exactly, as the engine's definition. */
function asFilter(filters: MetricFilter[] | undefined, name: string): MetricFilterDefinition {
  const filter = filters?.find((f) => f.filterName === name);
  const transformation = filter?.metricTransformations?.[0];
  if (!filter?.filterPattern || !transformation) throw new Error(`the metric filter ${name} is missing`);
  return {
    filterName: name,
    pattern: filter.filterPattern,
    metricNamespace: String(transformation.metricNamespace),
    metricName: String(transformation.metricName),
    metricValue: String(transformation.metricValue),
    defaultValue: Number(transformation.defaultValue),
  };
}

/** A deployed alarm, exactly, as the engine's rule (AWS's default for DatapointsToAlarm: the periods). */
/**
 * SSH and RDP attempts on the instance within one minute: `threshold` rejected from outside the VPC,
 * and as many that must not count (rejected from inside, accepted from outside, another port).
 */
function sshRdpAttempts(ip: string, threshold: number): { lines: string[]; fromOutside: number } {
  const start = Date.UTC(2024, 4, 1, 12, 0) / 1000;
  const line = (source: string, port: number, action: string, i: number) =>
    `2 ${EMULATOR_ACCOUNT} eni-0e2e ${source} ${ip} ${40000 + i} ${port} 6 2 120 ${start + i} ${start + i + 30} ${action} OK`;
  const lines: string[] = [];
  for (let i = 0; i < threshold; i++) {
    lines.push(line("203.0.113.50", i % 2 ? 22 : 3389, "REJECT", i));
    lines.push(line(ip, 22, "REJECT", i), line("203.0.113.50", 22, "ACCEPT", i), line("203.0.113.50", 80, "REJECT", i));
  }
  return { lines, fromOutside: threshold };
}

const STORY_START = Date.UTC(2024, 4, 1) / 1000;

const field = (line: string, i: number) => line.split(" ")[i];

/** Minutes (ISO) with an ICMP REJECT record, counted from the records themselves. */
function rejectedPingMinutes(lines: readonly string[]): string[] {
  const minutes = lines
    .filter((l) => field(l, 7) === "1" && field(l, 12) === "REJECT")
    .map((l) => new Date(Math.floor(Number(field(l, 10)) / 60) * 60_000).toISOString());
  return [...new Set(minutes)].sort();
}

function nonZeroMinutes(report: ReplayReport): string[] {
  return report.datapoints
    .filter((d) => d.value > 0)
    .map((d) => d.timestamp)
    .sort();
}

/** Row counts the records answer directly, for the queries that list records. */
function knownAnswer(name: string, lines: readonly string[], ip: string): number | undefined {
  if (name === "IcmpFromSource") return lines.filter((l) => field(l, 3) === ip && field(l, 7) === "1").length;
  if (name === "RejectedTraffic") return lines.filter((l) => field(l, 12) === "REJECT").length;
  return undefined;
}
