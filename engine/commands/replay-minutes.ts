import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
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

/**
 * Runs metric filters over the records of the files in one read, as CloudWatch Logs would over the
 * flow log's events: text and gzip records in the worker threads as they are read, Parquet rows
 * through DuckDB. `attribute[i]`: count filter i's matches' source and destination per minute (detect);
 * `probes`: collect the port-scan detection's probes too (detect).
 */
export async function replayMinutes(
  logs: readonly string[],
  filters: readonly MetricFilterDefinition[],
  by: string,
  attribute: readonly boolean[] = [],
  probes?: ProbeSpec,
): Promise<ReplayedMinutes> {
  const files = resolveLogPaths(logs);
  const db = await openFlowLogDatabase();
  try {
    const feed = async (text: readonly PreparedFile[]) => {
      const accumulators = filters.map(
        (f, i) => new MetricAccumulator(f, compilePattern(f.pattern), attribute[i] ?? false),
      );
      const tracker = probes && new ProbeTracker(probes);
      for (const file of text) {
        file.minutes?.forEach((minutes, i) => accumulators[i].merge(minutes));
        if (file.probes) tracker?.merge(file.probes);
      }
      for await (const event of flowLogEvents(db.connection)) {
        for (const a of accumulators) a.add(event);
        tracker?.addMessage(event.timestampSeconds, event.message);
      }
      return { minutes: accumulators.map((a) => a.result()), probes: tracker?.result() ?? {} };
    };
    const { result, summary } = await runOnFlowLogs(db, files, feed, {
      replay: { filters, attribute, ...(probes ? { probes } : {}) },
      requires: { columns: FLOW_LOG_FIELDS.map((f) => f.column), by },
    });
    return { ...result, summary };
  } finally {
    db.close();
  }
}
