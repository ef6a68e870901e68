import { formatIpv4 } from "../../config/cidr";
import type { ContributorDetection } from "../../monitoring/detections";
import type { MinuteMetric } from "../replay/metric-datapoints";
import type { Finding } from "./findings";
import type { ProbeWindows } from "./probe-tracker";

/** One window's probes as the deployed rules and alarm see them, and as the exact form does. */
export interface ProbeWindowSummary {
  readonly windowSeconds: number;
  /** Distinct (source, port) pairs: the ports rule's UniqueContributors. */
  readonly pairs: number;
  /** Distinct sources: the sources rule's UniqueContributors. */
  readonly sources: number;
  /** The most probes one source sent: the sources rule's MaxContributorValue. */
  readonly busiest: number;
  /** What the deployed alarm watches: the smaller of pairs - sources + 1 and busiest (0 without probes). */
  readonly bound: number;
  /** The most distinct ports one source probed (the exact form), and which source. */
  readonly maxPorts: number;
  readonly maxSource: string;
}

interface SourceProbes {
  readonly ports: Set<number>;
  /** Probes per destination. */
  readonly destinations: Map<number, number>;
}

/** Each source's probes in one window. */
function bySource(triples: readonly number[]): Map<number, SourceProbes> {
  const sources = new Map<number, SourceProbes>();
  for (let i = 0; i < triples.length; i += 3) {
    let probes = sources.get(triples[i]);
    if (!probes) sources.set(triples[i], (probes = { ports: new Set(), destinations: new Map() }));
    probes.ports.add(triples[i + 1]);
    probes.destinations.set(triples[i + 2], (probes.destinations.get(triples[i + 2]) ?? 0) + 1);
  }
  return sources;
}

const windowsInOrder = (windows: ProbeWindows) =>
  Object.keys(windows)
    .map(Number)
    .sort((a, b) => a - b);

/** Every window with probes, summarized (the deployed bound beside the exact count). */
export function summarizeProbeWindows(windows: ProbeWindows): ProbeWindowSummary[] {
  return windowsInOrder(windows).map((windowSeconds) => {
    const sources = bySource(windows[windowSeconds]);
    let pairs = 0;
    let busiest = 0;
    let maxPorts = 0;
    let maxSource = "";
    for (const [source, probes] of sources) {
      pairs += probes.ports.size;
      let sent = 0;
      for (const n of probes.destinations.values()) sent += n;
      busiest = Math.max(busiest, sent);
      if (probes.ports.size > maxPorts) [maxPorts, maxSource] = [probes.ports.size, formatIpv4(source)];
    }
    const bound = sources.size > 0 ? Math.min(pairs - sources.size + 1, busiest) : 0;
    return { windowSeconds, pairs, sources: sources.size, busiest, bound, maxPorts, maxSource };
  });
}

interface Episode {
  readonly source: number;
  readonly start: number;
  end: number;
  readonly ports: Set<number>;
  readonly destinations: Map<number, number>;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/**
 * The port scans in the probes: a finding per source and run of consecutive windows in which it
 * probed at least the alarm's threshold of distinct ports, with the ports it probed over the run as
 * evidence and the destination it probed most as target.
 */
export function portScanFindings(detection: ContributorDetection, windows: ProbeWindows): Finding[] {
  const step = detection.probe.periodSeconds;
  const threshold = detection.alarm.threshold;
  const open = new Map<number, Episode>();
  const done: Episode[] = [];
  for (const windowSeconds of windowsInOrder(windows)) {
    for (const [source, probes] of bySource(windows[windowSeconds])) {
      if (probes.ports.size < threshold) continue;
      let episode = open.get(source);
      if (episode && episode.end !== windowSeconds) {
        done.push(episode);
        episode = undefined;
      }
      if (!episode) {
        episode = { source, start: windowSeconds, end: windowSeconds, ports: new Set(), destinations: new Map() };
        open.set(source, episode);
      }
      episode.end = windowSeconds + step;
      for (const port of probes.ports) episode.ports.add(port);
      for (const [d, n] of probes.destinations) episode.destinations.set(d, (episode.destinations.get(d) ?? 0) + n);
    }
  }
  done.push(...open.values());
  return done
    .sort((a, b) => a.start - b.start || a.source - b.source)
    .map((e) => ({
      detection: detection.id,
      severity: detection.severity,
      technique: detection.technique ? `${detection.technique.id} ${detection.technique.name}` : "",
      window_start: iso(e.start),
      window_end: iso(e.end),
      source: formatIpv4(e.source),
      target: formatIpv4(mostProbed(e.destinations)),
      evidence: e.ports.size,
    }));
}

function mostProbed(destinations: ReadonlyMap<number, number>): number {
  let best = -1;
  let count = 0;
  for (const [d, n] of destinations) if (n > count || (n === count && d < best)) [best, count] = [d, n];
  return best;
}

/**
 * The deployed alarm's expression as datapoints (one value per window: the bound), in the form the
 * alarm replay reads; windows without probes have none (the alarm treats that as not breaching).
 */
export function boundDatapoints(summaries: readonly ProbeWindowSummary[]): MinuteMetric[] {
  return summaries.map((s) => ({
    minuteSeconds: s.windowSeconds,
    sum: s.bound,
    sampleCount: 1,
    minimum: s.bound,
    maximum: s.bound,
    matches: s.pairs,
    events: s.pairs,
  }));
}
