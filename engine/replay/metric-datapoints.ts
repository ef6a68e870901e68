import type { CompiledPattern } from "../filter-pattern";
import { fieldIndex, FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import type { MetricFilterDefinition } from "../../monitoring/ping-deny";
import { fieldStart } from "./field-start";

/**
 * `source destination` of the matching records, and how many each pair had. A Map all the way, from the
 * reader processes (the advanced IPC serialization, a structured clone, keeps it) to the findings: evicting a key from an object slows every
 * later lookup, and converting 10 M records' minutes back and forth cost 0.2 s.
 */
export type PairCounts = ReadonlyMap<string, number>;

/**
 * Pairs kept per minute when attributing matches (detect): the most frequent stay, the rest only
 * count in the sum. A finding names its top pair, so a bound keeps memory flat however many
 * records match (the 10M-record bench matches 1.4M pings from random sources).
 */
export const PAIRS_PER_MINUTE = 16;

const SOURCE = fieldIndex(FLOW_LOG_FIELDS, "srcaddr");

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
  /** With attribution: the matching records' source and destination pairs (at most PAIRS_PER_MINUTE). */
  readonly pairs?: PairCounts;
}

function metricValue(filter: MetricFilterDefinition, pattern: CompiledPattern, message: string): number {
  if (!filter.metricValue.startsWith("$")) return Number(filter.metricValue);
  // `$field`: publish the field's value; a non-numeric value publishes nothing.
  return Number(pattern.extract(message)?.[filter.metricValue]);
}

/** One minute's events and matched values, as statistics: files read apart (in reader processes) merge exactly. */
export interface MinuteBucket {
  readonly minuteSeconds: number;
  readonly events: number;
  readonly matches: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly pairs?: PairCounts;
}

/** A bucket being filled. */
type Bucket = { -readonly [K in keyof Omit<MinuteBucket, "pairs">]: MinuteBucket[K] } & {
  pairs?: Map<string, number>;
};

/**
 * Feeds log events through the metric filter: each match publishes the metric value; a minute in
 * which events arrived but none matched publishes the default value; a minute without events
 * publishes nothing (missing data).
 */
export class MetricAccumulator {
  private readonly minutes = new Map<number, Bucket>();
  /** The last minute's bucket: a file's records come in time order, so most lookups are this one. */
  private last: Bucket | undefined;

  /**
   * @param attribute also count the matching records' source and destination per minute (detect
   *   names who did it); messages are in the default field order
   */
  constructor(
    private readonly filter: MetricFilterDefinition,
    private readonly pattern: CompiledPattern,
    private readonly attribute = false,
  ) {}

  add(event: LogEvent): void {
    this.addMessage(event.timestampSeconds, event.message);
  }

  addMessage(timestampSeconds: number, message: string): void {
    const bucket = this.bucket(Math.floor(timestampSeconds / 60) * 60);
    bucket.events++;
    if (!this.pattern.matches(message)) return;
    const value = metricValue(this.filter, this.pattern, message);
    if (!Number.isFinite(value)) return;
    bucket.matches++;
    bucket.sum += value;
    bucket.minimum = Math.min(bucket.minimum, value);
    bucket.maximum = Math.max(bucket.maximum, value);
    if (this.attribute) addPair(bucket, sourceAndDestination(message), 1);
  }

  /** Adds what another accumulator (over other records) gathered. */
  merge(buckets: readonly MinuteBucket[]): void {
    for (const other of buckets) {
      const bucket = this.bucket(other.minuteSeconds);
      bucket.events += other.events;
      bucket.matches += other.matches;
      bucket.sum += other.sum;
      bucket.minimum = Math.min(bucket.minimum, other.minimum);
      bucket.maximum = Math.max(bucket.maximum, other.maximum);
      if (other.pairs) for (const [pair, count] of other.pairs) addPair(bucket, pair, count);
    }
  }

  buckets(): MinuteBucket[] {
    return [...this.minutes.values()];
  }

  result(): MinuteMetric[] {
    return [...this.minutes.values()]
      .sort((a, b) => a.minuteSeconds - b.minuteSeconds)
      .map((b) => {
        const matched = b.matches > 0;
        const fallback = this.filter.defaultValue;
        return {
          minuteSeconds: b.minuteSeconds,
          sum: matched ? b.sum : fallback,
          sampleCount: matched ? b.matches : 1,
          minimum: matched ? b.minimum : fallback,
          maximum: matched ? b.maximum : fallback,
          matches: b.matches,
          events: b.events,
          ...(b.pairs ? { pairs: b.pairs } : {}),
        };
      });
  }

  private bucket(minuteSeconds: number): Bucket {
    if (this.last?.minuteSeconds === minuteSeconds) return this.last;
    let bucket = this.minutes.get(minuteSeconds);
    if (!bucket) {
      bucket = { minuteSeconds, events: 0, matches: 0, sum: 0, minimum: Infinity, maximum: -Infinity };
      this.minutes.set(minuteSeconds, bucket);
    }
    return (this.last = bucket);
  }
}

/** Counts a pair in the bucket; past PAIRS_PER_MINUTE pairs, the least frequent one goes. */
function addPair(bucket: Bucket, pair: string, count: number): void {
  const pairs = (bucket.pairs ??= new Map());
  const had = pairs.get(pair);
  pairs.set(pair, (had ?? 0) + count);
  if (had !== undefined || pairs.size <= PAIRS_PER_MINUTE) return;
  let least = pair;
  let fewest = pairs.get(pair)!;
  for (const [key, n] of pairs)
    if (n < fewest) {
      least = key;
      fewest = n;
    }
  pairs.delete(least);
}

/** `source destination` of a message in the default field order (they are adjacent). */
function sourceAndDestination(message: string): string {
  const start = fieldStart(message, SOURCE);
  const end = message.indexOf(" ", message.indexOf(" ", start) + 1);
  return message.slice(start, end === -1 ? undefined : end);
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
