/** One glob segment as a RegExp: the POSIX corners of `[...]`, and names full of RegExp syntax. */
import { segmentRegExp } from "../../engine/logs/glob-pattern";

test.each([
  ["[]]x", ["]x"], ["ax", "[x"]],
  ["[!]]x", ["ax", "[x"], ["]x"]],
  ["[a-]", ["a", "-"], ["b"]],
  ["[-z]", ["-", "z"], ["y"]],
  ["[\\^]", ["\\", "^"], ["[", "]"]],
  ["[[]1]", ["[1]"], ["1", "11"]],
  ["a+b([1]).{x}$*", ["a+b(1).{x}$", "a+b(1).{x}$.gz"], ["aab(1)x{x}$", "a+b([1]).{x}$"]],
  ["?.gz", ["é.gz", "😀.gz"], [".gz", "ab.gz"]],
])("%s", (segment, matching, other) => {
  const regex = segmentRegExp(segment);
  for (const name of matching) expect(name).toMatch(regex);
  for (const name of other) expect(name).not.toMatch(regex);
});

test.each(["[", "a[b", "[!]", "[]", "x[a-"])("%s: an unterminated class is an error, not a RegExp exception", (s) => {
  expect(() => segmentRegExp(s)).toThrow('"[" with no closing "]"');
});
