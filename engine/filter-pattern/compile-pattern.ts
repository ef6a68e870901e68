import type { CompiledPattern } from "./compiled-pattern";
import { PatternSyntaxError, UnsupportedPatternError } from "./pattern-error";
import { compileSpaceDelimited } from "./space-delimited-pattern";
import { compileTerms } from "./term-pattern";

/** CloudWatch Logs' limit on a filter pattern's length. */
export const MAX_PATTERN_LENGTH = 1024;

/** Compiles a CloudWatch Logs filter pattern once, for matching many events. */
export function compilePattern(pattern: string): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new PatternSyntaxError(`longer than ${MAX_PATTERN_LENGTH} characters`, pattern, MAX_PATTERN_LENGTH);
  }
  const first = pattern.search(/\S/);
  if (first >= 0 && pattern[first] === "{") {
    throw new UnsupportedPatternError(
      "JSON selector patterns ({ $.field = value }) are not supported by this engine; use a space-delimited [..] or term pattern",
    );
  }
  if (first >= 0 && pattern[first] === "[") return compileSpaceDelimited(pattern, first);
  return compileTerms(pattern);
}
