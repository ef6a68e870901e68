import type { MetricFilterDetection } from "../../monitoring/detections";
import type { AlarmRule } from "../../monitoring/ping-deny";
import { periodBreaches, replayAlarm, type Datapoint } from "../replay/alarm-evaluation";
import type { MinuteMetric, PairCounts } from "../replay/metric-datapoints";

/** One time a detection's alarm went to ALARM, and what made it. */
export interface Finding {
  readonly detection: string;
  readonly severity: string;
  /** `T1110 Brute Force`; empty when no technique fits. */
  readonly technique: string;
  /** The first breaching period's start and the last one's end (ISO, UTC). */
  readonly window_start: string;
  readonly window_end: string;
  /** The source and destination with the most matching records in the window. */
  readonly source: string;
  readonly target: string;
  /** What the detection counts in the window: matching records (all pairs, not only the top one); for port-scan, the distinct ports probed. */
  readonly evidence: number;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/**
 * The findings of one detection over its per-minute metric (with attribution): one per episode in
 * ALARM, spanning the breaching periods that raised or kept it there (a missing period breaches when
 * the alarm treats missing data as breaching: a silence). Only what the files cover counts: the
 * alarm's evaluations after the last period with data (where every log simply ends) are left out.
 */
export function findingsOf(
  detection: Pick<MetricFilterDetection, "id" | "severity" | "technique"> & { readonly alarm: AlarmRule },
  minutes: readonly MinuteMetric[],
): Finding[] {
  const rule = detection.alarm;
  const step = rule.periodSeconds;
  const { datapoints, transitions } = replayAlarm(minutes, rule);
  if (datapoints.length === 0) return [];
  const dataEnd = datapoints[datapoints.length - 1].periodSeconds + step;
  const breaching = breachingPeriods(datapoints, rule);
  const findings: Finding[] = [];
  transitions.forEach((t, i) => {
    if (t.to !== "ALARM" || t.atSeconds > dataEnd) return;
    const until = Math.min(transitions.slice(i + 1).find((next) => next.to !== "ALARM")?.atSeconds ?? dataEnd, dataEnd);
    // The periods in the evaluation window that raised it, and those while it stayed in ALARM.
    const from = t.atSeconds - rule.evaluationPeriods * step;
    const periods = breaching.filter((p) => p >= from && p < until);
    const start = periods.length ? periods[0] : from;
    const end = periods.length ? periods[periods.length - 1] + step : t.atSeconds;
    const inWindow = minutes.filter((m) => m.minuteSeconds >= start && m.minuteSeconds < end);
    const [pair] = topPair(inWindow.flatMap((m) => (m.pairs ? [m.pairs] : [])));
    const [source = "", target = ""] = pair ? pair.split(" ") : [];
    findings.push({
      detection: detection.id,
      severity: detection.severity,
      technique: detection.technique ? `${detection.technique.id} ${detection.technique.name}` : "",
      window_start: iso(start),
      window_end: iso(end),
      source,
      target,
      evidence: inWindow.reduce((n, m) => n + m.matches, 0),
    });
  });
  return findings;
}

/** The starts of the periods, from the first with data to the last, that breach the rule. */
function breachingPeriods(datapoints: readonly Datapoint[], rule: AlarmRule): number[] {
  const step = rule.periodSeconds;
  const byPeriod = new Map(datapoints.map((d) => [d.periodSeconds, d.value]));
  const periods: number[] = [];
  for (let p = datapoints[0].periodSeconds; p <= datapoints[datapoints.length - 1].periodSeconds; p += step) {
    if (periodBreaches(rule, byPeriod.get(p))) periods.push(p);
  }
  return periods;
}

/** The pair with the most records over the minutes, and its count; [] when none. */
function topPair(all: readonly PairCounts[]): [string, number] | [] {
  const total = new Map<string, number>();
  for (const pairs of all) for (const [pair, n] of pairs) total.set(pair, (total.get(pair) ?? 0) + n);
  let best: [string, number] | [] = [];
  for (const [pair, n] of total)
    if (best.length === 0 || n > best[1] || (n === best[1] && pair < best[0])) best = [pair, n];
  return best;
}
