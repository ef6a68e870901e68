import type { AlarmRule, ComparisonOperator } from "../../monitoring/ping-deny";
import type { MinuteMetric } from "./metric-datapoints";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface Datapoint {
  /** Start of the alarm period, epoch seconds. */
  readonly periodSeconds: number;
  /** The alarm's statistic over the period. */
  readonly value: number;
}

export interface Transition {
  /** End of the period whose evaluation changed the state: the earliest moment the notification could go out. */
  readonly atSeconds: number;
  readonly from: AlarmState;
  readonly to: AlarmState;
}

export interface AlarmReplay {
  readonly datapoints: Datapoint[];
  readonly transitions: Transition[];
}

/** Rolls the per-minute statistic sets up into the alarm's periods and applies its statistic. */
export function periodDatapoints(minutes: readonly MinuteMetric[], rule: AlarmRule): Datapoint[] {
  const periods = new Map<number, MinuteMetric[]>();
  for (const m of minutes) {
    const start = Math.floor(m.minuteSeconds / rule.periodSeconds) * rule.periodSeconds;
    periods.set(start, [...(periods.get(start) ?? []), m]);
  }
  return [...periods]
    .sort((a, b) => a[0] - b[0])
    .map(([periodSeconds, ms]) => {
      const sum = ms.reduce((a, m) => a + m.sum, 0);
      const count = ms.reduce((a, m) => a + m.sampleCount, 0);
      const value = {
        Sum: sum,
        SampleCount: count,
        Average: sum / count,
        Minimum: Math.min(...ms.map((m) => m.minimum)),
        Maximum: Math.max(...ms.map((m) => m.maximum)),
      }[rule.statistic];
      return { periodSeconds, value };
    });
}

const COMPARE: Record<ComparisonOperator, (value: number, threshold: number) => boolean> = {
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  GreaterThanThreshold: (v, t) => v > t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/** Whether one period breaches the rule: its value against the threshold, or, with no value, treatMissingData. */
export function periodBreaches(rule: AlarmRule, value: number | undefined): boolean {
  if (value === undefined) return rule.treatMissingData === "breaching";
  return COMPARE[rule.comparisonOperator](value, rule.threshold);
}

/**
 * Evaluates the alarm at the end of every period, from the first datapoint until the last one has
 * left the evaluation window (so the replay ends as the alarm would once the logs stop): ALARM when at least `datapointsToAlarm` of the last `evaluationPeriods`
 * periods breach. Missing periods follow `treatMissingData`: notBreaching / breaching count them as
 * such; ignore keeps the current state when the window has no data; missing goes to
 * INSUFFICIENT_DATA when the window has no data. The alarm starts in INSUFFICIENT_DATA, as a new
 * CloudWatch alarm does.
 */
export function replayAlarm(minutes: readonly MinuteMetric[], rule: AlarmRule): AlarmReplay {
  const datapoints = periodDatapoints(minutes, rule);
  const transitions: Transition[] = [];
  if (datapoints.length === 0) return { datapoints, transitions };
  const byPeriod = new Map(datapoints.map((d) => [d.periodSeconds, d.value]));
  const step = rule.periodSeconds;
  const first = datapoints[0].periodSeconds;
  // One evaluation past the window holding the last datapoint: where a replay's state settles.
  const last = datapoints[datapoints.length - 1].periodSeconds + rule.evaluationPeriods * step;
  let state: AlarmState = "INSUFFICIENT_DATA";
  for (let period = first; period <= last; period += step) {
    let breaching = 0;
    let present = 0;
    for (let k = 0; k < rule.evaluationPeriods; k++) {
      const value = byPeriod.get(period - k * step);
      if (value !== undefined) present++;
      if (periodBreaches(rule, value)) breaching++;
    }
    let next: AlarmState;
    if (present === 0 && rule.treatMissingData === "ignore") next = state;
    else if (present === 0 && rule.treatMissingData === "missing") next = "INSUFFICIENT_DATA";
    else next = breaching >= rule.datapointsToAlarm ? "ALARM" : "OK";
    if (next !== state) transitions.push({ atSeconds: period + step, from: state, to: next });
    state = next;
  }
  return { datapoints, transitions };
}
