/**
 * The detection catalogue: each detection defined once, as the objects the stack deploys (a metric
 * filter and an alarm, or Contributor Insights rules and an alarm on them; every alarm notifies the
 * alarm topic) and the offline engine runs (`flowlogs detect`, `flowlogs replay --detection <id>`).
 * Thresholds come from settings (LAB_*), validated with the others.
 */
import type { Ipv4Cidr } from "../config/cidr";
import { flowLogFields, type FlowLogFormatName } from "./flow-log-fields";
import { PING_DENY_ALARM, pingDenyFilter, type AlarmRule, type MetricFilterDefinition } from "./ping-deny";
import { flowLogSilenceAlarm, INCOMING_LOG_EVENTS_FILTER } from "./flow-log-silence";
import { sshRdpRejectedAlarm, sshRdpRejectedFilter } from "./ssh-rdp-rejected";
import { DETECTIONS_NAMESPACE } from "./detection-metrics";
import type { ContributorRule } from "./contributor-rules";
import { portScanAlarm, portScanRules, probeSpec, type MathAlarmRule, type ProbeSpec } from "./port-scan";
import { recordsFilter, skipDataAlarm, skipDataFilter } from "./skipdata-share";

export type Severity = "low" | "medium" | "high";

/** A MITRE ATT&CK technique (https://attack.mitre.org/techniques/<id>/). */
export interface Technique {
  readonly id: string;
  readonly name: string;
}

interface DetectionBase {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** The technique it points at, when one fits. */
  readonly technique?: Technique;
}

export interface MetricFilterDetection extends DetectionBase {
  /**
   * How the stack deploys it: a metric filter on the flow-log group and an alarm on its metric, or
   * an alarm on the log group's own AWS/Logs metric (then `filter` is only how the engine computes
   * that metric from the records).
   */
  readonly deployedAs: "metric-filter" | "log-group-metric";
  readonly filter: MetricFilterDefinition;
  readonly alarm: AlarmRule;
}

/**
 * A detection that counts distinct values per contributor, which a metric filter cannot: deployed as
 * Contributor Insights rules and an alarm on a metric math expression over them (a bound, see
 * monitoring/port-scan.ts); the engine counts the probes exactly.
 */
export interface ContributorDetection extends DetectionBase {
  readonly deployedAs: "contributor-insights";
  readonly probe: ProbeSpec;
  readonly rules: { readonly ports: ContributorRule; readonly sources: ContributorRule };
  readonly alarm: MathAlarmRule;
}

/**
 * A metric filter whose matches count as a share of all the log group's records: deployed as the
 * filter, a second one that counts every record, and an alarm on a metric math expression (the first
 * Sum over the second, in percent); the engine computes the same share from the records.
 */
export interface ShareDetection extends DetectionBase {
  readonly deployedAs: "metric-filter-share";
  readonly filter: MetricFilterDefinition;
  /** What the share is of: every record (a second filter, on the same clock as the first). */
  readonly denominator: MetricFilterDefinition;
  readonly alarm: MathAlarmRule;
}

export type Detection = MetricFilterDetection | ShareDetection | ContributorDetection;

/** What the detections' definitions depend on. */
export interface DetectionSettings {
  /** The fields the flow log writes (LAB_FLOW_LOG_FORMAT): the metric filters' positional patterns follow them. */
  readonly flowLogFormat: FlowLogFormatName;
  /** The VPC's block: sources inside it are not "from outside". */
  readonly vpcCidr: Ipv4Cidr;
  /** Rejected SSH/RDP attempts from outside in 5 minutes that raise the alarm (LAB_SSH_RDP_ALARM_THRESHOLD). */
  readonly sshRdpAlarmThreshold: number;
  /** Minutes without a flow-log record that raise the pipeline alarm (LAB_FLOW_LOG_SILENCE_MINUTES). */
  readonly flowLogSilenceMinutes: number;
  /** Distinct ports of the VPC one source probes in 5 minutes that raise the port-scan alarm (LAB_PORT_SCAN_PORTS). */
  readonly portScanPorts: number;
  /** Percent of a 5-minute period's records that are SKIPDATA that raises the pipeline alarm (LAB_SKIPDATA_PERCENT). */
  readonly skipDataPercent: number;
}

/** The detections that are a metric filter (or a log group's metric) and an alarm: `flowlogs replay` replays them. */
export const METRIC_FILTER_DETECTION_IDS = ["ping-deny", "ssh-rdp-rejected", "flow-log-silence"] as const;
export type MetricFilterDetectionId = (typeof METRIC_FILTER_DETECTION_IDS)[number];
export const DETECTION_IDS = [...METRIC_FILTER_DETECTION_IDS, "flow-log-skipdata", "port-scan"] as const;
export type DetectionId = (typeof DETECTION_IDS)[number];

export type LabDetections = Record<MetricFilterDetectionId, MetricFilterDetection> & {
  readonly "flow-log-skipdata": ShareDetection;
  readonly "port-scan": ContributorDetection;
};

/** The lab's detections, in DETECTION_IDS order, and the fields of the records they read. */
export function labDetections(settings: DetectionSettings): LabDetections {
  const fields = flowLogFields(settings.flowLogFormat);
  return {
    "ping-deny": {
      id: "ping-deny",
      title: "Rejected outbound pings (the walkthrough's alarm)",
      severity: "low",
      deployedAs: "metric-filter",
      filter: pingDenyFilter(fields),
      alarm: PING_DENY_ALARM,
    },
    "ssh-rdp-rejected": {
      id: "ssh-rdp-rejected",
      title: "Rejected SSH/RDP from outside the VPC",
      severity: "medium",
      technique: { id: "T1110", name: "Brute Force" },
      deployedAs: "metric-filter",
      filter: sshRdpRejectedFilter(settings.vpcCidr, fields),
      alarm: sshRdpRejectedAlarm(settings.sshRdpAlarmThreshold),
    },
    "flow-log-silence": {
      id: "flow-log-silence",
      title: "The flow-log pipeline stopped: no records reach the log group",
      severity: "medium",
      // Flow logs are the evidence every other detection needs (ATT&CK: Impair Defenses).
      technique: { id: "T1562", name: "Impair Defenses" },
      deployedAs: "log-group-metric",
      filter: INCOMING_LOG_EVENTS_FILTER,
      alarm: flowLogSilenceAlarm(settings.flowLogSilenceMinutes),
    },
    "flow-log-skipdata": {
      id: "flow-log-skipdata",
      title: "The flow log skips records (SKIPDATA share of the records)",
      severity: "low",
      technique: { id: "T1562", name: "Impair Defenses" },
      deployedAs: "metric-filter-share",
      filter: skipDataFilter(DETECTIONS_NAMESPACE, fields),
      denominator: recordsFilter(DETECTIONS_NAMESPACE, fields),
      alarm: skipDataAlarm(settings.skipDataPercent),
    },
    "port-scan": {
      id: "port-scan",
      title: "Port scan: one source probing many ports of the VPC",
      severity: "medium",
      technique: { id: "T1046", name: "Network Service Discovery" },
      deployedAs: "contributor-insights",
      probe: probeSpec(settings.vpcCidr),
      rules: portScanRules(settings.vpcCidr),
      alarm: portScanAlarm(settings.portScanPorts),
    },
  };
}
