/** `$name` (named field) or `$<position>` (unnamed field) to the field's text, as TestMetricFilter returns them. */
export type ExtractedValues = Record<string, string>;

export interface CompiledPattern {
  readonly kind: "space-delimited" | "terms";
  /** A space-delimited pattern without `...`: the exact number of fields an event must have to match. */
  readonly fieldCount?: number;
  /** The fast path: does the event match? */
  matches(line: string): boolean;
  /** The values a match extracts, or null when the event does not match. */
  extract(line: string): ExtractedValues | null;
}
