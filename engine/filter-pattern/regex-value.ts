import type { PatternCursor } from "./pattern-cursor";

/**
 * Compiles the body of a `%regex%` the way CloudWatch Logs accepts it: no groups (`(` `)`),
 * single-byte characters only. Matching is a search (unanchored) unless the body uses ^ or $.
 */
export function compileRegexValue(body: string, at: number, cursor: PatternCursor): RegExp {
  if (body.length === 0) cursor.fail("empty regular expression", at);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "(" || ch === ")") cursor.fail("regular expressions may not use ( or ) in filter patterns", at + 1 + i);
    if (ch.charCodeAt(0) > 0x7f) cursor.fail("regular expressions may not use multi-byte characters", at + 1 + i);
  }
  try {
    return new RegExp(body);
  } catch (error) {
    return cursor.fail(`invalid regular expression: ${(error as Error).message}`, at);
  }
}
