import type { FlowLogField } from "../../monitoring/flow-log-fields";
import { EngineError } from "../engine-error";
import type { MetricFilterDefinition } from "../../monitoring/ping-deny";
import { compilePattern } from "../filter-pattern";
import type { PreparedFile } from "../logs/prepare-log-files";
import { resolveLogPaths } from "../logs/resolve-log-paths";
import { openFlowLogDatabase } from "../query/flow-log-database";
import { runOnFlowLogs, type LoadSummary } from "../query/run-on-flow-logs";
import { flowLogEvents } from "../replay/flow-log-events";
import { MetricAccumulator, type MinuteMetric } from "../replay/metric-datapoints";
import type { ProbeSpec } from "../../monitoring/port-scan";
import { ProbeTracker, type ProbeWindows } from "../detect/probe-tracker";

export interface ReplayedMinutes {
  /** Each filter's metric per minute, in the filters' order. */
  readonly minutes: MinuteMetric[][];
  /** With a probe spec: the port-scan detection's probes, by window. */
  readonly probes: ProbeWindows;
  readonly summary: LoadSummary;
}

export interface ReplayInput {
  readonly logs: readonly string[];
  /** The deployed format's fields: every record becomes a message of these, in order. */
  readonly fields: readonly FlowLogField[];
  readonly filters: readonly MetricFilterDefinition[];
  /** Who needs the fields, for the error when a file lacks one ("detect", "replay"). */
  readonly by: string;
  /** `attribute[i]`: count filter i's matches' source and destination per minute (detect). */
  readonly attribute?: readonly boolean[];
  /** Collect the port-scan detection's probes too (detect). */
  readonly probes?: ProbeSpec;
}

/**
 * Runs metric filters over the records of the files in one read, as CloudWatch Logs would over the
 * flow log's events: text and gzip records in the reader processes as they are read, Parquet rows
 * through DuckDB.
 */
export async function replayMinutes(input: ReplayInput): Promise<ReplayedMinutes> {
  const { logs, fields, filters, by, attribute = [], probes } = input;
  // A positional pattern for another format's field count never matches: refused, not a silent zero.
  for (const filter of filters) {
    const count = compilePattern(filter.pattern).fieldCount;
    if (count !== undefined && count !== fields.length)
      throw new EngineError(
        `${by}: the metric filter ${filter.filterName} names ${count} fields, the records have ${fields.length}: CloudWatch Logs would match no record`,
      );
  }
  const files = resolveLogPaths(logs);
  const db = await openFlowLogDatabase();
  try {
    const feed = async (text: readonly PreparedFile[]) => {
      const accumulators = filters.map(
        (f, i) => new MetricAccumulator(f, compilePattern(f.pattern), attribute[i] ?? false),
      );
      const tracker = probes && new ProbeTracker(probes, fields);
      for (const file of text) {
        file.minutes?.forEach((minutes, i) => accumulators[i].merge(minutes));
        if (file.probes) tracker?.merge(file.probes);
      }
      for await (const event of flowLogEvents(db.connection, fields)) {
        for (const a of accumulators) a.add(event);
        tracker?.addMessage(event.timestampSeconds, event.message);
      }
      return { minutes: accumulators.map((a) => a.result()), probes: tracker?.result() ?? {} };
    };
    const { result, summary } = await runOnFlowLogs(db, files, feed, {
      replay: { fields, filters, attribute, ...(probes ? { probes } : {}) },
      requires: { columns: fields.map((f) => f.column), by },
    });
    return { ...result, summary };
  } finally {
    db.close();
  }
}
