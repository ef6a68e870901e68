import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import type { MetricFilterDetection } from "../../monitoring/detections";
import { findingsOf, type Finding } from "../detect/findings";
import { compilePattern } from "../filter-pattern";
import type { PreparedFile } from "../logs/prepare-log-files";
import { resolveLogPaths } from "../logs/resolve-log-paths";
import { formatRows, type RowFormat } from "../output/format-rows";
import { openFlowLogDatabase } from "../query/flow-log-database";
import { runOnFlowLogs } from "../query/run-on-flow-logs";
import { flowLogEvents } from "../replay/flow-log-events";
import { MetricAccumulator } from "../replay/metric-datapoints";
import type { CommandIo } from "./io";
import { detectionsFor, type Env } from "./lab-detections";
import { reportLoad } from "./report-load";

export interface DetectOptions {
  readonly logs: readonly string[];
  readonly format?: RowFormat;
  /** The LAB_* settings the detections take their thresholds and VPC block from. @default process.env */
  readonly env?: Env;
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
  const detections: MetricFilterDetection[] = Object.values(detectionsFor(options.env ?? process.env));
  const files = resolveLogPaths(options.logs);
  const db = await openFlowLogDatabase();
  try {
    const filters = detections.map((d) => d.filter);
    const feed = async (text: readonly PreparedFile[]) => {
      const accumulators = filters.map((f) => new MetricAccumulator(f, compilePattern(f.pattern), true));
      for (const file of text) file.minutes?.forEach((minutes, i) => accumulators[i].merge(minutes));
      // Parquet rows come from DuckDB (the text and gzip records went through the filters as they were read).
      for await (const event of flowLogEvents(db.connection)) for (const a of accumulators) a.add(event);
      return accumulators.map((a) => a.result());
    };
    const { result, summary } = await runOnFlowLogs(db, files, feed, {
      replay: { filters, attribute: true },
      requires: {
        columns: FLOW_LOG_FIELDS.map((f) => f.column),
        by: "detect (the metric filters read every field of the default format, in order)",
      },
    });
    reportLoad(summary, io);
    return detections
      .flatMap((d, i) => findingsOf(d, result[i]))
      .sort((a, b) => a.window_start.localeCompare(b.window_start) || a.detection.localeCompare(b.detection));
  } finally {
    db.close();
  }
}

/** `flowlogs detect`: the findings as a table, JSON or CSV; exit 0 with or without findings. */
export async function detectCommand(options: DetectOptions, io: CommandIo): Promise<number> {
  const findings = await detectInLogs(options, io);
  io.out(formatRows({ columns: [...COLUMNS], rows: findings.map((f) => ({ ...f })) }, options.format ?? "table"));
  return 0;
}
