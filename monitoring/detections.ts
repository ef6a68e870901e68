/**
 * The detection catalogue: each detection defined once, as the objects the stack deploys (a metric
 * filter and an alarm that notifies the alarm topic) and the offline engine runs (`flowlogs replay
 * --detection <id>`). Thresholds come from settings (LAB_*), validated with the others.
 */
import type { Ipv4Cidr } from "../config/cidr";
import { PING_DENY_ALARM, PING_DENY_FILTER, type AlarmRule, type MetricFilterDefinition } from "./ping-deny";
import { flowLogSilenceAlarm, INCOMING_LOG_EVENTS_FILTER } from "./flow-log-silence";
import { sshRdpRejectedAlarm, sshRdpRejectedFilter } from "./ssh-rdp-rejected";

export type Severity = "low" | "medium" | "high";

/** A MITRE ATT&CK technique (https://attack.mitre.org/techniques/<id>/). */
export interface Technique {
  readonly id: string;
  readonly name: string;
}

export interface MetricFilterDetection {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** The technique it points at, when one fits. */
  readonly technique?: Technique;
  /**
   * How the stack deploys it: a metric filter on the flow-log group and an alarm on its metric, or
   * an alarm on the log group's own AWS/Logs metric (then `filter` is only how the engine computes
   * that metric from the records).
   */
  readonly deployedAs: "metric-filter" | "log-group-metric";
  readonly filter: MetricFilterDefinition;
  readonly alarm: AlarmRule;
}

/** What the detections' definitions depend on. */
export interface DetectionSettings {
  /** The VPC's block: sources inside it are not "from outside". */
  readonly vpcCidr: Ipv4Cidr;
  /** Rejected SSH/RDP attempts from outside in 5 minutes that raise the alarm (LAB_SSH_RDP_ALARM_THRESHOLD). */
  readonly sshRdpAlarmThreshold: number;
  /** Minutes without a flow-log record that raise the pipeline alarm (LAB_FLOW_LOG_SILENCE_MINUTES). */
  readonly flowLogSilenceMinutes: number;
}

export const DETECTION_IDS = ["ping-deny", "ssh-rdp-rejected", "flow-log-silence"] as const;
export type DetectionId = (typeof DETECTION_IDS)[number];

/** The lab's detections, in DETECTION_IDS order. */
export function labDetections(settings: DetectionSettings): Record<DetectionId, MetricFilterDetection> {
  return {
    "ping-deny": {
      id: "ping-deny",
      title: "Rejected outbound pings (the walkthrough's alarm)",
      severity: "low",
      deployedAs: "metric-filter",
      filter: PING_DENY_FILTER,
      alarm: PING_DENY_ALARM,
    },
    "ssh-rdp-rejected": {
      id: "ssh-rdp-rejected",
      title: "Rejected SSH/RDP from outside the VPC",
      severity: "medium",
      technique: { id: "T1110", name: "Brute Force" },
      deployedAs: "metric-filter",
      filter: sshRdpRejectedFilter(settings.vpcCidr),
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
  };
}
