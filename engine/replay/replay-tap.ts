import { fieldIndex, type FlowLogField } from "../../monitoring/flow-log-fields";
import type { MetricFilterDefinition } from "../../monitoring/ping-deny";
import type { ProbeSpec } from "../../monitoring/port-scan";
import { ProbeTracker, type ProbeWindows } from "../detect/probe-tracker";

/** Metric filters to run over the records as they are read (replay: one; detect: the catalogue's). */
export interface ReplaySpec {
  /** The fields of the deployed format, in order: each record becomes a message of these (LAB_FLOW_LOG_FORMAT). */
  readonly fields: readonly FlowLogField[];
  readonly filters: readonly MetricFilterDefinition[];
  /** For each filter: count its matches' source and destination per minute (detect names them in its findings). */
  readonly attribute?: readonly boolean[];
  /** Also collect the port-scan detection's probes (detect). */
  readonly probes?: ProbeSpec;
}
import { compilePattern } from "../filter-pattern";
import type { HeaderColumn } from "../logs/flow-log-header";
import { fieldStart } from "./field-start";
import { MetricAccumulator, type MinuteBucket } from "./metric-datapoints";

/**
 * The metric filters, run on a file's records as they are read (no DuckDB round trip): each record
 * becomes the message CloudWatch Logs would have received (the deployed format's fields in order;
 * a file in another order, or with more fields, is rearranged), stamped with its start. A file without
 * every field of the deployed format is left alone here: replay refuses it (run-on-flow-logs names the field).
 */
export class ReplayTap {
  private readonly accumulators: MetricAccumulator[];
  private readonly probeTracker?: ProbeTracker;
  /** For each deployed field, its position in the file's records; null when the file has the deployed order. */
  private readonly order: number[] | null;
  private readonly start: number;
  readonly complete: boolean;

  constructor(spec: ReplaySpec, columns: readonly HeaderColumn[]) {
    this.accumulators = spec.filters.map(
      (filter, i) => new MetricAccumulator(filter, compilePattern(filter.pattern), spec.attribute?.[i] ?? false),
    );
    if (spec.probes) this.probeTracker = new ProbeTracker(spec.probes, spec.fields);
    this.start = fieldIndex(spec.fields, "start");
    const order = spec.fields.map((f) => columns.findIndex((c) => c.column === f.column));
    this.complete = order.every((i) => i >= 0);
    const same = columns.length === order.length && order.every((i, k) => i === k);
    this.order = same ? null : order;
  }

  /** One record, as a line of the file (single spaces between fields). */
  record(line: string): void {
    if (!this.complete) return;
    const message = this.order === null ? line : this.rearrange(line);
    const start = fieldAt(message, this.start);
    if (start === "-") return; // no time, no event (as DuckDB's `starttime IS NOT NULL`)
    const seconds = Number(start);
    for (const accumulator of this.accumulators) accumulator.addMessage(seconds, message);
    this.probeTracker?.addMessage(seconds, message);
  }

  /** Each filter's minutes, in the spec's order. */
  buckets(): MinuteBucket[][] {
    return this.accumulators.map((a) => a.buckets());
  }

  /** The probes by window, when the spec asks for them. */
  probes(): ProbeWindows | undefined {
    return this.probeTracker?.result();
  }

  private rearrange(line: string): string {
    const fields = line.split(" ");
    return this.order!.map((i) => fields[i]).join(" ");
  }
}

/** The field at `index` of a line whose fields are separated by single spaces. */
function fieldAt(line: string, index: number): string {
  const start = fieldStart(line, index);
  const end = line.indexOf(" ", start);
  return line.slice(start, end === -1 ? undefined : end);
}
