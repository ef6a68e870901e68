export { compilePattern, MAX_PATTERN_LENGTH } from "./compile-pattern";
export type { CompiledPattern, ExtractedValues } from "./compiled-pattern";
export { PatternSyntaxError, UnsupportedPatternError } from "./pattern-error";
export { testMetricFilter, type MetricFilterMatchRecord, type TestMetricFilterResponse } from "./test-metric-filter";
