/**
 * The value sets of the constructs' options, written once: the constructs' prop types and the settings'
 * parsers (config/settings.ts) both come from these lists. A leaf module: it imports types only.
 */
import type { FlowLogFormatName } from "../monitoring/flow-log-fields";
import type { FlowLogFileFormat } from "../monitoring/flow-log-storage";

/** Which records a flow log captures. */
export const TRAFFIC_TYPES = ["ALL", "ACCEPT", "REJECT"] as const;
export type TrafficType = (typeof TRAFFIC_TYPES)[number];

/** The longest time, in seconds, a flow is aggregated into one record. */
export const AGGREGATION_INTERVALS_SECONDS = [60, 600] as const;
export type AggregationIntervalSeconds = (typeof AGGREGATION_INTERVALS_SECONDS)[number];

/**
 * Outbound traffic the instance may send: `lab` is what the lab uses (ICMP echo requests for the ping, HTTPS for
 * package updates and Session Manager); `all` is the walkthrough's allow-all. DNS needs no rule: security
 * groups do not filter traffic to the VPC's Amazon DNS server.
 */
export const INSTANCE_EGRESS = ["lab", "all"] as const;
export type InstanceEgress = (typeof INSTANCE_EGRESS)[number];

/** Operating systems of the instance: Amazon Linux 2023, or Amazon Linux 2 (end of support 2026-06-30). */
export const AMI_OS = ["al2023", "al2"] as const;
export type AmiOs = (typeof AMI_OS)[number];

export type CpuArchitecture = "x86_64" | "arm64";

/**
 * The constructs' defaults that are also settings: each construct falls back to its value here, and the
 * setting's default (config/settings.ts, the README's table) is the same value written as text.
 */
export const DEFAULTS = {
  vpcCidr: "10.0.0.0/24",
  subnetCidr: "10.0.0.0/26",
  instanceType: "t2.micro",
  amiOs: "al2023" as AmiOs,
  instanceEgress: "lab" as InstanceEgress,
  trafficType: "ALL" as TrafficType,
  aggregationIntervalSeconds: 60 as AggregationIntervalSeconds,
  /** The walkthrough's record format and S3 storage: default fields, plain-text gzip, daily non-Hive folders. */
  flowLogFormat: "default" as FlowLogFormatName,
  flowLogFileFormat: "plain-text" as FlowLogFileFormat,
  flowLogHivePartitions: false,
  flowLogPerHour: false,
  /** 0 = never expire (the walkthrough's choice). */
  logRetentionDays: 0,
  flowLogExpirationDays: 365,
  queryResultExpirationDays: 30,
  /** Rejected SSH/RDP attempts from outside the VPC in 5 minutes that raise that detection's alarm. */
  sshRdpAlarmThreshold: 10,
  /** Distinct ports of the VPC one source probes in 5 minutes that raise the port-scan alarm. */
  portScanPorts: 20,
  /** Percent of a 5-minute period's records that are SKIPDATA that raises the pipeline's second alarm. */
  skipDataPercent: 1,
  /** Minutes without a flow-log record in the log group that raise the pipeline alarm. */
  flowLogSilenceMinutes: 15,
} as const;
