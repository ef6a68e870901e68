/** A test on one field of a log line, given as offsets into the line (no substring on the fast paths). */
export type FieldTest = (line: string, start: number, end: number) => boolean;

export type ComparisonOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type ConditionValue =
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "regex"; readonly value: RegExp };

const NUMBER_LITERAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function isNumberLiteral(text: string): boolean {
  return NUMBER_LITERAL.test(text);
}

/** Parses a field as a number; NaN when it is not one (so every numeric comparison fails). */
export function fieldNumber(line: string, start: number, end: number): number {
  if (start >= end) return NaN;
  // Fast path: plain non-negative integers, the common case in flow logs.
  let value = 0;
  let i = start;
  for (; i < end; i++) {
    const digit = line.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  if (i === end && end - start <= 15) return value;
  const text = line.slice(start, end);
  return NUMBER_LITERAL.test(text) ? Number(text) : NaN;
}

function equalsText(expected: string): FieldTest {
  const length = expected.length;
  return (line, start, end) => end - start === length && line.startsWith(expected, start);
}

function globTest(glob: string): FieldTest {
  const parts = glob.split("*");
  // `4*`, `*html`, `*html*` are common; a regex covers the general case.
  if (parts.length === 2 && parts[1] === "") {
    const prefix = parts[0];
    return (line, start, end) => end - start >= prefix.length && line.startsWith(prefix, start);
  }
  if (parts.length === 2 && parts[0] === "") {
    const suffix = parts[1];
    return (line, start, end) => end - start >= suffix.length && line.startsWith(suffix, end - suffix.length);
  }
  const source = parts.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[\\s\\S]*");
  const regex = new RegExp(`^${source}$`);
  return (line, start, end) => regex.test(line.slice(start, end));
}

function numberTest(operator: ComparisonOperator, expected: number): FieldTest {
  switch (operator) {
    case "=":
      return (line, start, end) => fieldNumber(line, start, end) === expected;
    case "!=": {
      return (line, start, end) => {
        const n = fieldNumber(line, start, end);
        return !Number.isNaN(n) && n !== expected;
      };
    }
    case "<":
      return (line, start, end) => fieldNumber(line, start, end) < expected;
    case "<=":
      return (line, start, end) => fieldNumber(line, start, end) <= expected;
    case ">":
      return (line, start, end) => fieldNumber(line, start, end) > expected;
    case ">=":
      return (line, start, end) => fieldNumber(line, start, end) >= expected;
  }
}

/**
 * Compiles `field <op> value`. Numbers compare numerically (a field that is not a number never
 * matches); strings compare exactly, `*` matching any run of characters; regexes search the field.
 * The parser guarantees that only = and != reach here with string or regex values.
 */
export function compileCondition(operator: ComparisonOperator, value: ConditionValue): FieldTest {
  if (value.kind === "number") return numberTest(operator, value.value);
  let test: FieldTest;
  if (value.kind === "regex") {
    const regex = value.value;
    test = (line, start, end) => regex.test(line.slice(start, end));
  } else {
    test = value.value.includes("*") ? globTest(value.value) : equalsText(value.value);
  }
  if (operator === "=") return test;
  return (line, start, end) => !test(line, start, end);
}

/** ORs of ANDs, the precedence CloudWatch gives `&&` over `||`. */
export function anyOfAll(groups: readonly (readonly FieldTest[])[]): FieldTest {
  const all = groups.map((tests): FieldTest => {
    if (tests.length === 1) return tests[0];
    return (line, start, end) => tests.every((t) => t(line, start, end));
  });
  if (all.length === 1) return all[0];
  return (line, start, end) => all.some((t) => t(line, start, end));
}
