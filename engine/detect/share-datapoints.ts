import type { MinuteMetric } from "../replay/metric-datapoints";

/**
 * A metric filter's matches as a share of all the records, per period, in percent: what the
 * deployed alarm's expression (100 * the filter's Sum / the group's IncomingLogEvents) computes.
 * One value per period, in the form the alarm replay reads (its maximum is that value); a period
 * without records has none. Each keeps its matches and records, so a finding can count them.
 */
export function shareDatapoints(minutes: readonly MinuteMetric[], periodSeconds: number): MinuteMetric[] {
  const periods = new Map<number, { matches: number; events: number }>();
  for (const m of minutes) {
    const start = Math.floor(m.minuteSeconds / periodSeconds) * periodSeconds;
    const p = periods.get(start) ?? { matches: 0, events: 0 };
    p.matches += m.matches;
    p.events += m.events;
    periods.set(start, p);
  }
  return [...periods]
    .filter(([, p]) => p.events > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([minuteSeconds, { matches, events }]) => {
      const share = (100 * matches) / events;
      return { minuteSeconds, sum: share, sampleCount: 1, minimum: share, maximum: share, matches, events };
    });
}
