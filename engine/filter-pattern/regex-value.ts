import type { PatternCursor } from "./pattern-cursor";

/**
 * What a `%regex%` may hold, from CloudWatch Logs' "Supported regular expressions (regex) syntax":
 * letters and digits, the symbols `: _ # = @ / ; , -`, and the operators `^ $ ? [ ] { } | \ * + .`.
 * Nothing else: no `(` `)`, no space, no `!`, no multi-byte character.
 */
const ALLOWED = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]$/;

/**
 * Compiles the body of a `%regex%` the way CloudWatch Logs accepts it, refusing every character its
 * documentation does not allow, at its position. Matching is a search (unanchored) unless the body
 * uses ^ or $.
 */
export function compileRegexValue(body: string, at: number, cursor: PatternCursor): RegExp {
  if (body.length === 0) cursor.fail("empty regular expression", at);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ALLOWED.test(ch)) continue;
    if (ch === "(" || ch === ")") cursor.fail("regular expressions may not use ( or ) in filter patterns", at + 1 + i);
    if (ch.charCodeAt(0) > 0x7f) cursor.fail("regular expressions may not use multi-byte characters", at + 1 + i);
    cursor.fail(
      `${JSON.stringify(ch)} is not allowed in a regular expression (letters, digits, : _ # = @ / ; , - and ^ $ ? [ ] { } | \\ * + . only)`,
      at + 1 + i,
    );
  }
  try {
    return new RegExp(body);
  } catch (error) {
    return cursor.fail(`invalid regular expression: ${(error as Error).message}`, at);
  }
}
