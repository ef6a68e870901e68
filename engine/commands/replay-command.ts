import type { FlowLogField, FlowLogFormatName } from "../../monitoring/flow-log-fields";
import { PING_DENY_ALARM, type AlarmRule, type MetricFilterDefinition } from "../../monitoring/ping-deny";
import { formatTable, tableOf } from "../output/format-rows";
import { replayAlarm, type AlarmState } from "../replay/alarm-evaluation";
import { DETECTION_IDS, type ContributorDetection, type DetectionId } from "../../monitoring/detections";
import { boundDatapoints, summarizeProbeWindows } from "../detect/port-scan-findings";
import { shareDatapoints } from "../detect/share-datapoints";
import type { MinuteMetric } from "../replay/metric-datapoints";
import { EngineError } from "../engine-error";
import type { CommandIo } from "./io";
import { deployedFor, type Env } from "./lab-detections";
import { replayMinutes } from "./replay-minutes";
import { reportLoad } from "./report-load";

export interface ReplayOptions {
  readonly logs: readonly string[];
  readonly format?: "table" | "json";
  /** A detection of the catalogue (its filter and alarm for the LAB_* settings in `env`); else `filter`/`alarm`. */
  readonly detection?: string;
  readonly env?: Env;
  /** The watched VPC's block instead of LAB_VPC_CIDR (a VPC of the monitor stack). */
  readonly vpcCidr?: string;
  /** @default the walkthrough's ping-deny filter (for LAB_FLOW_LOG_FORMAT's fields) */
  readonly filter?: MetricFilterDefinition;
  readonly alarm?: AlarmRule;
}

/**
 * What to replay: a metric filter and its alarm (a detection's, those given, or the walkthrough's), or
 * a Contributor Insights detection (port-scan), whose alarm watches a bound computed from the probes.
 */
type Replayed = (
  | {
      readonly filter: MetricFilterDefinition;
      readonly alarm: AlarmRule;
      /** The share's alarm: what the filter's matches are a share of. */
      readonly share?: MetricFilterDefinition;
    }
  | { readonly detection: ContributorDetection; readonly alarm: AlarmRule }
) & {
  /** The deployed format's fields (LAB_FLOW_LOG_FORMAT): the messages the filters read. */
  readonly fields: readonly FlowLogField[];
  readonly format: FlowLogFormatName;
};

function replayed(options: ReplayOptions): Replayed {
  const { detections, fields, format } = deployedFor(options.env ?? process.env, options.vpcCidr);
  const deployed = { fields, format };
  if (options.detection === undefined)
    return {
      filter: options.filter ?? detections["ping-deny"].filter,
      alarm: options.alarm ?? PING_DENY_ALARM,
      ...deployed,
    };
  const detection = detections[options.detection as DetectionId];
  if (!detection)
    throw new EngineError(
      `--detection: got ${JSON.stringify(options.detection)}, expected one of ${DETECTION_IDS.join(", ")}`,
    );
  // An expression has one value per period: its maximum is that value.
  if (detection.deployedAs === "contributor-insights")
    return { detection, alarm: { ...detection.alarm, statistic: "Maximum" }, ...deployed };
  if (detection.deployedAs === "metric-filter-share")
    return {
      filter: detection.filter,
      alarm: { ...detection.alarm, statistic: "Maximum" },
      share: detection.denominator,
      ...deployed,
    };
  return { ...detection, ...deployed };
}

export interface ReplayReport {
  readonly datapoints: { timestamp: string; value: number }[];
  readonly transitions: { timestamp: string; from: AlarmState; to: AlarmState }[];
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Replays flow-log records through the deployed metric filter and alarm. */
export async function replayLogs(options: ReplayOptions, io: CommandIo): Promise<ReplayReport> {
  return replayWhat(replayed(options), options.logs, io);
}

async function replayWhat(what: Replayed, logs: readonly string[], io: CommandIo): Promise<ReplayReport> {
  const filters = "filter" in what ? [what.filter, ...(what.share ? [what.share] : [])] : [];
  const { minutes, probes, summary } = await replayMinutes({
    logs,
    fields: what.fields,
    filters,
    by: `replay (the metric filter reads every field of the ${what.format} format, LAB_FLOW_LOG_FORMAT, in order)`,
    probes: "detection" in what ? what.detection.probe : undefined,
  });
  reportLoad(summary, io);
  const metric: MinuteMetric[] =
    "detection" in what
      ? boundDatapoints(summarizeProbeWindows(probes))
      : what.share
        ? shareDatapoints(minutes[0], minutes[1], what.alarm.periodSeconds)
        : minutes[0];
  const replay = replayAlarm(metric, what.alarm);
  return {
    datapoints: replay.datapoints.map((d) => ({ timestamp: iso(d.periodSeconds), value: d.value })),
    transitions: replay.transitions.map((t) => ({ timestamp: iso(t.atSeconds), from: t.from, to: t.to })),
  };
}

/** `flowlogs replay`: prints the metric's datapoints and the alarm's state transitions. */
export async function replayCommand(options: ReplayOptions, io: CommandIo): Promise<number> {
  // Resolved once: a detection's definitions come from the settings.
  const what = replayed(options);
  const { alarm } = what;
  const report = await replayWhat(what, options.logs, io);
  if (options.format === "json") {
    io.out(JSON.stringify(report, null, 2) + "\n");
    return 0;
  }
  io.out(
    "filter" in what
      ? what.share
        ? `Expression (${what.filter.metricName} records' share of all records, %, as the deployed alarm sees it), per ${alarm.periodSeconds} s:\n`
        : `Metric ${what.filter.metricName}, ${alarm.statistic} per ${alarm.periodSeconds} s:\n`
      : `Expression (the smaller of distinct probe pairs - probing sources + 1 and the busiest source's probes, as the deployed alarm computes it, for the VPC's exact block), per ${alarm.periodSeconds} s:\n`,
  );
  io.out(formatTable(tableOf(["timestamp", "value"], report.datapoints)));
  io.out(`\nAlarm ${alarm.alarmName} state transitions:\n`);
  io.out(formatTable(tableOf(["timestamp", "from", "to"], report.transitions)));
  return 0;
}
