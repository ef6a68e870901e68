import { compilePattern } from "./compile-pattern";
import type { ExtractedValues } from "./compiled-pattern";

/** One element of TestMetricFilter's `matches`. */
export interface MetricFilterMatchRecord {
  readonly eventNumber: number;
  readonly eventMessage: string;
  readonly extractedValues: ExtractedValues;
}

export interface TestMetricFilterResponse {
  readonly matches: MetricFilterMatchRecord[];
}

/**
 * The CloudWatch Logs TestMetricFilter API, offline: the matching events, numbered from 1 in the
 * order given (as the API numbers them), with the values the pattern extracts.
 */
export function testMetricFilter(filterPattern: string, logEventMessages: readonly string[]): TestMetricFilterResponse {
  const pattern = compilePattern(filterPattern);
  const matches: MetricFilterMatchRecord[] = [];
  logEventMessages.forEach((eventMessage, i) => {
    const extractedValues = pattern.extract(eventMessage);
    if (extractedValues) matches.push({ eventNumber: i + 1, eventMessage, extractedValues });
  });
  return { matches };
}
