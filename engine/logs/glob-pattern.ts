import { EngineError } from "../engine-error";

/**
 * `--logs` globs, matched one path segment at a time: `*` and `?` within a name, `[abc]`, `[a-z]`,
 * `[!a-z]` (or `[^a-z]`) for one character, and a whole segment `**` for any depth of folders.
 * Hand-written: Node 20's `path.matchesGlob` is experimental (a warning on stderr) and takes an
 * unterminated `[` as matching nothing, and `fs.glob` came in Node 22.
 */
export type GlobSegment =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "any-depth" }
  | { readonly kind: "pattern"; readonly name: string; readonly regex: RegExp };

export function hasGlobSyntax(path: string): boolean {
  return /[*?[]/.test(path);
}

/** The segments of an absolute glob; a malformed one is the user's error, naming the argument. */
export function parseGlob(absolute: string, input: string): GlobSegment[] {
  return absolute
    .split("/")
    .filter((name) => name !== "")
    .map((name): GlobSegment => {
      if (name === "**") return { kind: "any-depth" };
      if (!hasGlobSyntax(name)) return { kind: "name", name };
      try {
        return { kind: "pattern", name, regex: segmentRegExp(name) };
      } catch (e) {
        if (!(e instanceof GlobSyntaxError)) throw e;
        throw new EngineError(`--logs ${input}: ${e.message} in "${name}" (a literal [ is written [[])`);
      }
    });
}

class GlobSyntaxError extends Error {}

// Inside a class only these mean something to RegExp; outside, the syntax characters.
const escapeInClass = (ch: string) => ch.replace(/[\\\]^[-]/, "\\$&");
const escapeOutside = (ch: string) => ch.replace(/[\\^$.*+?()[\]{}|/]/, "\\$&");

/** One segment (no `/`) as an anchored RegExp; throws GlobSyntaxError for an unterminated `[`. */
export function segmentRegExp(segment: string): RegExp {
  const chars = [...segment]; // code points: `?` and a class take one character, not one UTF-16 unit
  let source = "";
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === "*") {
      source += "[^]*";
      while (chars[i + 1] === "*") i++; // `a**b` within a name is `a*b`
    } else if (ch === "?") source += "[^]";
    else if (ch === "[") {
      const end = classEnd(chars, i);
      source += classSource(chars.slice(i + 1, end));
      i = end;
    } else source += escapeOutside(ch);
  }
  return new RegExp(`^${source}$`, "u");
}

/** Where the class opened at `open` closes: a `]` right after `[` or `[!` is a member, as in POSIX. */
function classEnd(chars: readonly string[], open: number): number {
  let i = open + 1;
  if (chars[i] === "!" || chars[i] === "^") i++;
  if (chars[i] === "]") i++;
  while (i < chars.length && chars[i] !== "]") i++;
  if (i >= chars.length) throw new GlobSyntaxError('"[" with no closing "]"');
  return i;
}

/** `[...]` from the members between the brackets: single characters and ranges `a-z`. */
function classSource(members: readonly string[]): string {
  let negate = false;
  let i = 0;
  if (members[0] === "!" || members[0] === "^") [negate, i] = [true, 1];
  let source = "";
  for (; i < members.length; i++) {
    const [lo, dash, hi] = [members[i], members[i + 1], members[i + 2]];
    if (dash === "-" && hi !== undefined) {
      if (hi.codePointAt(0)! < lo.codePointAt(0)!) throw new GlobSyntaxError(`reversed range "${lo}-${hi}"`);
      source += `${escapeInClass(lo)}-${escapeInClass(hi)}`;
      i += 2;
    } else source += escapeInClass(lo); // a `-` first or last is a member
  }
  return `[${negate ? "^" : ""}${source}]`;
}
