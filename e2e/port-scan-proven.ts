/**
 * The port-scan detection as deployed, beside the engine's form: the deployed Contributor Insights
 * rules and alarm are the project's, and, over scenario traffic, the alarm's expression computed from
 * the deployed rules (read as AWS documents them) reaches the deployed threshold in exactly the
 * windows where the engine finds the scanner, and nowhere on quiet traffic (busy servers' replies
 * included). The emulator stores rules and alarms but evaluates neither; this runs both sides here.
 */
import { DescribeAlarmsCommand, DescribeInsightRulesCommand } from "@aws-sdk/client-cloudwatch";
import type { LabNames } from "../config/names";
import { ProbeTracker } from "../engine/detect/probe-tracker";
import { portScanFindings } from "../engine/detect/port-scan-findings";
import { scenario } from "../engine/generate/scenarios";
import type { ContributorDetection } from "../monitoring/detections";
import { portScanQueries, type MetricQuery } from "../monitoring/port-scan";
import type { clients } from "./emulator";
import { contributorsByWindow } from "./insight-rule-reader";
import { FLOW_LOG_FIELDS } from "../monitoring/flow-log-fields";

const START = Date.UTC(2024, 4, 1) / 1000;

/**
 * The deployed alarm's expression per window, from the rules' definitions read as AWS documents them:
 * IF(sources > 0, MIN([pairs - sources + 1, busiest]), 0) (monitoring/port-scan.ts).
 */
export function boundFromRules(
  rules: { readonly ports: string; readonly sources: string },
  records: readonly { readonly line: string; readonly start: number }[],
  periodSeconds: number,
): Map<number, number> {
  const pairs = contributorsByWindow(rules.ports, records, periodSeconds);
  const sources = contributorsByWindow(rules.sources, records, periodSeconds);
  return new Map(
    [...sources].map(([w, s]) => [w, Math.min((pairs.get(w)?.unique ?? 0) - s.unique + 1, s.maxContributorValue)]),
  );
}

export async function provePortScan(
  c: ReturnType<typeof clients>,
  names: LabNames,
  portScan: ContributorDetection,
): Promise<{ problems: string[]; summary: string }> {
  const problems: string[] = [];
  const rules = (await c.cloudwatch.send(new DescribeInsightRulesCommand({}))).InsightRules ?? [];
  const definitionOf = (name: string) => rules.find((r) => r.Name === name)?.Definition ?? "{}";
  const deployed = { ports: definitionOf(names.portScanPortsRule), sources: definitionOf(names.portScanSourcesRule) };
  const same = (a: string, b: string) => JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  if (
    !same(deployed.ports, portScan.rules.ports.definition(names.logGroup)) ||
    !same(deployed.sources, portScan.rules.sources.definition(names.logGroup))
  )
    problems.push("port-scan: the deployed Contributor Insights rules differ from the project's");

  const alarm = (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [names.portScanAlarm] })))
    .MetricAlarms?.[0];
  if (!alarm) return { problems: [...problems, "port-scan: the alarm is missing"], summary: "" };
  const queries: MetricQuery[] = (alarm.Metrics ?? []).map((m) => ({
    id: String(m.Id),
    expression: String(m.Expression),
    label: String(m.Label),
    returnData: Boolean(m.ReturnData),
    period: Number(m.Period),
  }));
  const ours = portScanQueries({ ports: names.portScanPortsRule, sources: names.portScanSourcesRule });
  // The provider keeps an alarm's queries as a set: AWS gives them back in any order.
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  if (JSON.stringify([...queries].sort(byId)) !== JSON.stringify([...ours].sort(byId)))
    problems.push("port-scan: the deployed alarm's queries differ from the project's");
  const rule = {
    comparisonOperator: alarm.ComparisonOperator,
    threshold: alarm.Threshold,
    evaluationPeriods: alarm.EvaluationPeriods,
    datapointsToAlarm: alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods,
    treatMissingData: alarm.TreatMissingData,
  };
  const { comparisonOperator, threshold, evaluationPeriods, datapointsToAlarm, treatMissingData } = portScan.alarm;
  if (
    JSON.stringify(rule) !==
    JSON.stringify({ comparisonOperator, threshold, evaluationPeriods, datapointsToAlarm, treatMissingData })
  )
    problems.push("port-scan: the deployed alarm's rule differs from the project's");

  // Both sides over the same records: the deployed rules' bound, and the engine's exact probes.
  const deployedThreshold = Number(alarm.Threshold);
  const period = portScan.probe.periodSeconds;
  let scanWindows = 0;
  for (const name of ["quiet", "port-scan"] as const) {
    const { records, incidents } = scenario(name, START);
    const bound = boundFromRules(deployed, records, period);
    const raised = [...bound.keys()].filter((w) => bound.get(w)! >= deployedThreshold);
    const tracker = new ProbeTracker(portScan.probe, FLOW_LOG_FIELDS); // scenario records: the default format
    for (const r of records) tracker.addMessage(r.start, r.line);
    const findings = portScanFindings(
      { ...portScan, alarm: { ...portScan.alarm, threshold: deployedThreshold } },
      tracker.result(),
    );
    const found = findings.flatMap((f) => {
      const windows: number[] = [];
      for (let w = Date.parse(f.window_start) / 1000; w < Date.parse(f.window_end) / 1000; w += period) windows.push(w);
      return windows;
    });
    if (JSON.stringify(raised) !== JSON.stringify(found))
      problems.push(
        `port-scan, ${name}: the deployed alarm reaches the threshold at ${raised}, the engine finds ${found}`,
      );
    const expected = incidents.map((i) => i.source);
    if (JSON.stringify(findings.map((f) => f.source)) !== JSON.stringify(expected))
      problems.push(
        `port-scan, ${name}: findings from ${findings.map((f) => f.source)}, the scenario holds ${expected}`,
      );
    if (name === "port-scan") scanWindows = raised.length;
  }
  return {
    problems,
    summary: `the port-scan rules and alarm as deployed: quiet traffic below ${deployedThreshold}, the scan above it in ${scanWindows} windows, where the engine finds the scanner`,
  };
}
