import type { MinuteMetric } from "../replay/metric-datapoints";

/**
 * One metric filter's matches as a share of another's, per period, in percent: what the deployed
 * alarm's expression (100 * the first's Sum / the second's Sum) computes. One value per period, in
 * the form the alarm replay reads (its maximum is that value); a period in which the second matched
 * nothing has none. Each keeps its matches and the second's, so a finding can count them.
 */
export function shareDatapoints(
  numerator: readonly MinuteMetric[],
  denominator: readonly MinuteMetric[],
  periodSeconds: number,
): MinuteMetric[] {
  const periods = new Map<number, { matches: number; events: number }>();
  const add = (minutes: readonly MinuteMetric[], key: "matches" | "events") => {
    for (const m of minutes) {
      const start = Math.floor(m.minuteSeconds / periodSeconds) * periodSeconds;
      const p = periods.get(start) ?? { matches: 0, events: 0 };
      p[key] += m.matches;
      periods.set(start, p);
    }
  };
  add(numerator, "matches");
  add(denominator, "events");
  return [...periods]
    .filter(([, p]) => p.events > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([minuteSeconds, { matches, events }]) => {
      const share = (100 * matches) / events;
      return { minuteSeconds, sum: share, sampleCount: 1, minimum: share, maximum: share, matches, events };
    });
}
