import { METRIC_FILTER_DETECTION_IDS } from "../../monitoring/detections";
import { findingsOf, type Finding } from "../detect/findings";
import { portScanFindings } from "../detect/port-scan-findings";
import { shareDatapoints } from "../detect/share-datapoints";
import { formatRows, tableOf, type RowFormat } from "../output/format-rows";
import type { CommandIo } from "./io";
import { deployedFor, type Env } from "./lab-detections";
import { replayMinutes } from "./replay-minutes";
import { reportLoad } from "./report-load";

export interface DetectOptions {
  readonly logs: readonly string[];
  readonly format?: RowFormat;
  /** The LAB_* settings the detections take their thresholds and VPC block from. @default process.env */
  readonly env?: Env;
  /** The watched VPC's block instead of LAB_VPC_CIDR (a VPC of the monitor stack). */
  readonly vpcCidr?: string;
}

const COLUMNS = [
  "detection",
  "severity",
  "technique",
  "window_start",
  "window_end",
  "source",
  "target",
  "evidence",
] as const satisfies readonly (keyof Finding)[];

/**
 * Runs every detection of the catalogue, as the lab deploys it for these settings, over the files
 * in one read: each metric filter and alarm is replayed, and each time an alarm would have gone to
 * ALARM is a finding, in time order.
 */
export async function detectInLogs(options: DetectOptions, io: CommandIo): Promise<Finding[]> {
  const { detections: all, format, fields } = deployedFor(options.env ?? process.env, options.vpcCidr);
  const detections = METRIC_FILTER_DETECTION_IDS.map((id) => all[id]);
  const skipData = all["flow-log-skipdata"];
  const portScan = all["port-scan"];
  const { minutes, probes, summary } = await replayMinutes({
    logs: options.logs,
    fields,
    // The share's denominator (every record) is each minute's count of records: every record the engine
    // reads has the deployed format's fields, all the records filter asks (a test proves it on generated
    // files; replay and the emulator run run the deployed filter itself).
    filters: [...detections.map((d) => d.filter), skipData.filter],
    by: `detect (the metric filters read every field of the ${format} format, LAB_FLOW_LOG_FORMAT, in order)`,
    // Who did it, for the detections on matching records; a silence or a SKIPDATA record has no one.
    attribute: detections.map((d) => d.deployedAs === "metric-filter"),
    probes: portScan.probe,
  });
  reportLoad(summary, io);
  // The share's expression has one value per period: its maximum is that value.
  const skipped = minutes[detections.length];
  const records = skipped.map((m) => ({ ...m, matches: m.events }));
  const share = shareDatapoints(skipped, records, skipData.alarm.periodSeconds);
  return [
    ...detections.flatMap((d, i) => findingsOf(d, minutes[i])),
    ...findingsOf({ ...skipData, alarm: { ...skipData.alarm, statistic: "Maximum" } }, share),
    ...portScanFindings(portScan, probes),
  ].sort((a, b) => a.window_start.localeCompare(b.window_start) || a.detection.localeCompare(b.detection));
}

/** `flowlogs detect`: the findings as a table, JSON or CSV; exit 0 with or without findings. */
export async function detectCommand(options: DetectOptions, io: CommandIo): Promise<number> {
  const findings = await detectInLogs(options, io);
  io.out(formatRows(tableOf(COLUMNS, findings), options.format ?? "table"));
  return 0;
}
