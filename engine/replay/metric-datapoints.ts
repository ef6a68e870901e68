import type { CompiledPattern } from "../filter-pattern";
import type { MetricFilterDefinition } from "../../monitoring/ping-deny";

/** A flow-log record as CloudWatch Logs holds it: the message, stamped with the record's start time. */
export interface LogEvent {
  readonly timestampSeconds: number;
  readonly message: string;
}

/** What the metric filter published for one minute (CloudWatch keeps statistic sets per minute). */
export interface MinuteMetric {
  readonly minuteSeconds: number;
  readonly sum: number;
  readonly sampleCount: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly matches: number;
  readonly events: number;
}

function metricValue(filter: MetricFilterDefinition, pattern: CompiledPattern, message: string): number {
  if (!filter.metricValue.startsWith("$")) return Number(filter.metricValue);
  // `$field`: publish the field's value; a non-numeric value publishes nothing.
  return Number(pattern.extract(message)?.[filter.metricValue]);
}

/**
 * Feeds log events through the metric filter: each match publishes the metric value; a minute in
 * which events arrived but none matched publishes the default value; a minute without events
 * publishes nothing (missing data).
 */
export class MetricAccumulator {
  private readonly minutes = new Map<number, { values: number[]; events: number }>();

  constructor(
    private readonly filter: MetricFilterDefinition,
    private readonly pattern: CompiledPattern,
  ) {}

  add(event: LogEvent): void {
    const minute = Math.floor(event.timestampSeconds / 60) * 60;
    let bucket = this.minutes.get(minute);
    if (!bucket) this.minutes.set(minute, (bucket = { values: [], events: 0 }));
    bucket.events++;
    if (this.pattern.matches(event.message)) {
      const value = metricValue(this.filter, this.pattern, event.message);
      if (Number.isFinite(value)) bucket.values.push(value);
    }
  }

  result(): MinuteMetric[] {
    return [...this.minutes]
      .sort((a, b) => a[0] - b[0])
      .map(([minuteSeconds, bucket]) => {
        const matches = bucket.values.length;
        const values = matches > 0 ? bucket.values : [this.filter.defaultValue];
        return {
          minuteSeconds,
          sum: values.reduce((a, b) => a + b, 0),
          sampleCount: values.length,
          minimum: Math.min(...values),
          maximum: Math.max(...values),
          matches,
          events: bucket.events,
        };
      });
  }
}

export function metricFromEvents(
  events: Iterable<LogEvent>,
  filter: MetricFilterDefinition,
  pattern: CompiledPattern,
): MinuteMetric[] {
  const accumulator = new MetricAccumulator(filter, pattern);
  for (const event of events) accumulator.add(event);
  return accumulator.result();
}
