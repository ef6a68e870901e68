import type { CompiledPattern } from "./compiled-pattern";
import { PatternCursor } from "./pattern-cursor";
import { compileRegexValue } from "./regex-value";

type LineTest = (line: string) => boolean;

function readTerm(cursor: PatternCursor): LineTest | "all" {
  const ch = cursor.peek();
  if (ch === '"') {
    const phrase = cursor.readQuoted();
    // `" "` (a quoted blank) is CloudWatch's way of writing "every event".
    if (phrase.trim() === "") return "all";
    return (line) => line.includes(phrase);
  }
  if (ch === "%") {
    const { body, at } = cursor.readRegexBody();
    const regex = compileRegexValue(body, at, cursor);
    return (line) => regex.test(line);
  }
  const start = cursor.pos;
  while (!cursor.done && !/\s/.test(cursor.peek()) && cursor.peek() !== '"') cursor.pos++;
  const term = cursor.text.slice(start, cursor.pos);
  if (term.length === 0) cursor.fail("expected a term");
  if (term.startsWith("{")) cursor.fail("{ can only start a JSON pattern", start);
  return (line) => line.includes(term);
}

/**
 * Unstructured patterns: case-sensitive terms matched as substrings and ANDed, `"exact phrases"`,
 * `%regex%`, `-term` to exclude, `?term` for OR. When plain terms are present, `?` terms add nothing
 * (CloudWatch ignores them); exclusions always apply. An empty pattern or `" "` matches everything.
 */
export function compileTerms(pattern: string): CompiledPattern {
  const cursor = new PatternCursor(pattern);
  const required: LineTest[] = [];
  const excluded: LineTest[] = [];
  const optional: LineTest[] = [];
  let matchAll = false;
  for (cursor.skipSpaces(); !cursor.done; cursor.skipSpaces()) {
    const prefix = cursor.peek();
    const prefixAt = cursor.pos;
    if (prefix === "-" || prefix === "?") {
      cursor.pos++;
      if (cursor.done || /\s/.test(cursor.peek())) cursor.fail(`${prefix} must be followed by a term`, prefixAt);
    }
    const term = readTerm(cursor);
    if (term === "all") {
      if (prefix === "-") cursor.fail('excluding " " would exclude every event', prefixAt);
      matchAll = true;
      continue;
    }
    if (prefix === "-") excluded.push(term);
    else if (prefix === "?") optional.push(term);
    else required.push(term);
  }
  const useOptional = required.length === 0 && optional.length > 0 && !matchAll;
  const matches = (line: string): boolean => {
    for (let i = 0; i < required.length; i++) if (!required[i](line)) return false;
    for (let i = 0; i < excluded.length; i++) if (excluded[i](line)) return false;
    return !useOptional || optional.some((t) => t(line));
  };
  return { kind: "terms", matches, extract: (line) => (matches(line) ? {} : null) };
}
