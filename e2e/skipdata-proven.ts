/**
 * The flow-log-skipdata detection as deployed, beside the engine's form: the deployed filters and the
 * alarm's queries and rule are the project's, and the deployed filters and threshold, replayed as the
 * alarm's expression (SKIPDATA's share of the records), fire on the skipdata scenario only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { LabNames } from "../config/names";
import { replayMinutes } from "../engine/commands/replay-minutes";
import { shareDatapoints } from "../engine/detect/share-datapoints";
import { scenario } from "../engine/generate/scenarios";
import { generateLogs } from "../engine/generate/write-generated-logs";
import { replayAlarm } from "../engine/replay/alarm-evaluation";
import type { ShareDetection } from "../monitoring/detections";
import type { MetricFilterDefinition } from "../monitoring/ping-deny";
import { skipDataQueries } from "../monitoring/skipdata-share";
import { flowLogFields, type FlowLogFormatName } from "../monitoring/flow-log-fields";

const START = Date.UTC(2024, 4, 1) / 1000;

export async function proveSkipData(
  deployed: { readonly filter: MetricFilterDefinition; readonly denominator: MetricFilterDefinition },
  alarm: MetricAlarm | undefined,
  names: LabNames,
  skipData: ShareDetection,
  /** The deployed format (LAB_FLOW_LOG_FORMAT): the scenario files are written in it. */
  format: FlowLogFormatName,
): Promise<{ problems: string[]; summary: string }> {
  const problems: string[] = [];
  const ours = {
    filter: { ...skipData.filter, filterName: names.skipDataMetricFilter, metricNamespace: names.detectionNamespace },
    denominator: {
      ...skipData.denominator,
      filterName: names.recordsMetricFilter,
      metricNamespace: names.detectionNamespace,
    },
  };
  if (JSON.stringify(deployed) !== JSON.stringify(ours))
    problems.push("flow-log-skipdata: the deployed metric filters differ from the project's");
  if (!alarm) return { problems: [...problems, "flow-log-skipdata: the alarm is missing"], summary: "" };
  const queries = (alarm.Metrics ?? []).map((m) =>
    m.MetricStat
      ? {
          id: m.Id,
          label: m.Label,
          returnData: m.ReturnData,
          metric: {
            namespace: m.MetricStat.Metric?.Namespace,
            metricName: m.MetricStat.Metric?.MetricName,
            ...(m.MetricStat.Metric?.Dimensions?.length
              ? { dimensions: Object.fromEntries(m.MetricStat.Metric.Dimensions.map((d) => [d.Name, d.Value])) }
              : {}),
            stat: m.MetricStat.Stat,
            period: m.MetricStat.Period,
          },
        }
      : { id: m.Id, expression: m.Expression, label: m.Label, returnData: m.ReturnData, period: m.Period },
  );
  const ourQueries = skipDataQueries({ skipped: ours.filter, records: ours.denominator });
  // The provider keeps an alarm's queries as a set: AWS gives them back in any order.
  const byId = (a: { id?: string }, b: { id?: string }) => String(a.id).localeCompare(String(b.id));
  if (JSON.stringify([...queries].sort(byId)) !== JSON.stringify([...ourQueries].sort(byId)))
    problems.push(
      `flow-log-skipdata: the deployed alarm's queries differ from the project's: ${JSON.stringify(queries)}`,
    );
  if (alarm.Threshold !== skipData.alarm.threshold || alarm.ComparisonOperator !== skipData.alarm.comparisonOperator)
    problems.push("flow-log-skipdata: the deployed alarm's rule differs from the project's");

  // The deployed filter and threshold over scenario traffic, as the alarm's expression.
  const rule = { ...skipData.alarm, threshold: Number(alarm.Threshold), statistic: "Maximum" as const };
  const fired: string[] = [];
  for (const name of ["quiet", "flow-log-skipdata"] as const) {
    const folder = mkdtempSync(join(tmpdir(), `lab-proven-${name}-`));
    try {
      await generateLogs({ records: 0, source: scenario(name, START).records, outDir: folder, logFormat: format });
      const { minutes } = await replayMinutes({
        logs: [folder],
        fields: flowLogFields(format),
        filters: [deployed.filter, deployed.denominator],
        by: "flow-log-skipdata",
      });
      const replay = replayAlarm(shareDatapoints(minutes[0], minutes[1], rule.periodSeconds), rule);
      const alarmed = replay.transitions.some((t) => t.to === "ALARM");
      if (alarmed !== (name === "flow-log-skipdata"))
        problems.push(`flow-log-skipdata: the alarm ${alarmed ? "fires" : "stays quiet"} on the ${name} scenario`);
      if (alarmed) fired.push(name);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  return {
    problems,
    summary: `the SKIPDATA filter and alarm as deployed: the share's alarm fires on ${fired.join(", ") || "nothing"}, not on quiet traffic`,
  };
}
