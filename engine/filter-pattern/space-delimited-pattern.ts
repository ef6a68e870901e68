import {
  anyOfAll,
  compileCondition,
  isNumberLiteral,
  type ComparisonOperator,
  type ConditionValue,
  type FieldTest,
} from "./field-condition";
import { LogLineFields } from "./log-line-fields";
import { PatternCursor } from "./pattern-cursor";
import type { CompiledPattern, ExtractedValues } from "./compiled-pattern";
import { compileRegexValue } from "./regex-value";

interface Slot {
  /** Field name, or null for an unnamed slot (extracted as `$<position>`). */
  readonly name: string | null;
  readonly test: FieldTest | null;
  /** Text every matching line contains (from `= "text"` conditions without ||): a quick first check. */
  readonly needles?: readonly string[];
}

interface ParsedPattern {
  readonly before: readonly Slot[];
  /** null when the pattern has no `...`: the line must then have exactly `before.length` fields. */
  readonly after: readonly Slot[] | null;
}

const NAME_CHAR = /[A-Za-z0-9_-]/;
const OPERATORS: readonly ComparisonOperator[] = ["!=", "<=", ">=", "=", "<", ">"];

function readOperator(cursor: PatternCursor): ComparisonOperator {
  const operator = OPERATORS.find((op) => cursor.startsWith(op));
  if (!operator) cursor.fail("expected a comparison operator (= != < <= > >=), a comma or ]");
  cursor.pos += operator.length;
  return operator;
}

function readValue(cursor: PatternCursor, operator: ComparisonOperator): ConditionValue {
  cursor.skipSpaces();
  const at = cursor.pos;
  let value: ConditionValue;
  if (cursor.peek() === '"') {
    value = { kind: "string", value: cursor.readQuoted() };
  } else if (cursor.peek() === "%") {
    const { body, at: regexAt } = cursor.readRegexBody();
    value = { kind: "regex", value: compileRegexValue(body, regexAt, cursor) };
  } else {
    let end = cursor.pos;
    while (end < cursor.end) {
      const ch = cursor.text[end];
      if (
        /\s/.test(ch) ||
        ch === "," ||
        ch === "]" ||
        cursor.text.startsWith("&&", end) ||
        cursor.text.startsWith("||", end)
      )
        break;
      end++;
    }
    const text = cursor.text.slice(cursor.pos, end);
    if (text.length === 0) cursor.fail(`expected a value after ${operator}`);
    if ("=!<>".includes(text[0])) cursor.fail(`a value cannot start with ${text[0]}`);
    cursor.pos = end;
    value = isNumberLiteral(text) ? { kind: "number", value: Number(text) } : { kind: "string", value: text };
  }
  if (value.kind !== "number" && operator !== "=" && operator !== "!=") {
    cursor.fail(`${operator} compares numbers; got a ${value.kind} value`, at);
  }
  return value;
}

function readName(cursor: PatternCursor): string {
  const start = cursor.pos;
  while (!cursor.done && NAME_CHAR.test(cursor.peek())) cursor.pos++;
  if (cursor.pos === start) cursor.fail("expected a field name, ... , a comma or ]");
  return cursor.text.slice(start, cursor.pos);
}

/** `name`, or `name op value [&& | || name op value]...`, all on the same field. */
function readSlot(cursor: PatternCursor): Slot {
  const name = readName(cursor);
  cursor.skipSpaces();
  if (cursor.done) cursor.fail("missing closing ]");
  if (cursor.peek() === "," || cursor.peek() === "]") return { name, test: null };
  const groups: FieldTest[][] = [[]];
  const needles: string[] = [];
  for (;;) {
    const operator = readOperator(cursor);
    const value = readValue(cursor, operator);
    groups[groups.length - 1].push(compileCondition(operator, value));
    // The field equals the text (its `*`-free parts, for a glob), so the line contains it.
    if (operator === "=" && value.kind === "string") needles.push(...value.value.split("*").filter(Boolean));
    cursor.skipSpaces();
    if (cursor.peek() === "," || cursor.peek() === "]") break;
    if (cursor.startsWith("||")) groups.push([]);
    else if (!cursor.startsWith("&&")) cursor.fail("expected &&, ||, a comma or ]");
    cursor.pos += 2;
    cursor.skipSpaces();
    const nameAt = cursor.pos;
    const again = readName(cursor);
    if (again !== name) cursor.fail(`a condition here must be on field ${name}, not ${again}`, nameAt);
    cursor.skipSpaces();
  }
  // With ||, no single text is required.
  return { name, test: anyOfAll(groups), needles: groups.length === 1 ? needles : [] };
}

export function parseSpaceDelimited(pattern: string, open: number): ParsedPattern {
  const cursor = new PatternCursor(pattern, open + 1);
  const before: Slot[] = [];
  let after: Slot[] | null = null;
  const names = new Set<string>();
  cursor.skipSpaces();
  if (cursor.peek() === "]") {
    cursor.pos++;
    after = []; // `[]` extracts every field, like `[...]`
  } else {
    for (;;) {
      cursor.skipSpaces();
      if (cursor.done) cursor.fail("missing closing ]");
      const slotAt = cursor.pos;
      if (cursor.startsWith("...")) {
        if (after) cursor.fail("only one ... is allowed in a pattern");
        after = [];
        cursor.pos += 3;
      } else if (cursor.peek() === "," || cursor.peek() === "]") {
        (after ?? before).push({ name: null, test: null });
      } else {
        const slot = readSlot(cursor);
        if (slot.name && names.has(slot.name)) cursor.fail(`field ${slot.name} is named twice`, slotAt);
        if (slot.name) names.add(slot.name);
        (after ?? before).push(slot);
      }
      cursor.skipSpaces();
      const ch = cursor.peek();
      cursor.pos++;
      if (ch === "]") break;
      if (ch !== ",") cursor.fail(ch ? "expected a comma or ]" : "missing closing ]", cursor.pos - 1);
    }
  }
  cursor.skipSpaces();
  if (!cursor.done) cursor.fail("unexpected text after the closing ]");
  return { before, after };
}

/**
 * One split for every pattern: detect runs several patterns on each record, one after the other, and
 * those that get past their substring search would split the same line again (a line is split only
 * when it differs from the last one split; the offsets depend on nothing else).
 */
const shared = new LogLineFields();
const fieldsOf = (line: string): LogLineFields => (shared.line === line ? shared : shared.split(line));

/** Compiles `[f1, f2=value, ..., fn]`: a positional pattern over the fields of a log line. */
export function compileSpaceDelimited(pattern: string, open: number): CompiledPattern {
  const { before, after } = parseSpaceDelimited(pattern, open);
  const fixed = before.length + (after?.length ?? 0);
  // Positions >= 0 count from the start; < 0 from the end (slots after the `...`).
  const checks: { position: number; test: FieldTest }[] = [];
  before.forEach((s, i) => s.test && checks.push({ position: i, test: s.test }));
  after?.forEach((s, i) => s.test && checks.push({ position: i - after.length, test: s.test }));

  // Text a match must contain: most lines fail this native substring search before being split.
  const needles = [...before, ...(after ?? [])].flatMap((s) => s.needles ?? []);
  // No condition on any field: a match is only a count of fields.
  const countOnly = checks.length === 0;
  const matchFields = (line: string): boolean => {
    for (let n = 0; n < needles.length; n++) if (!line.includes(needles[n])) return false;
    if (countOnly) {
      const count = LogLineFields.count(line);
      return after ? count >= fixed : count === fixed;
    }
    const fields = fieldsOf(line);
    const count = fields.count;
    if (after ? count < fixed : count !== fixed) return false;
    const { starts, ends } = fields;
    for (let c = 0; c < checks.length; c++) {
      const check = checks[c];
      const index = check.position >= 0 ? check.position : count + check.position;
      if (!check.test(line, starts[index], ends[index])) return false;
    }
    return true;
  };

  return {
    kind: "space-delimited",
    ...(after ? {} : { fieldCount: fixed }),
    matches: matchFields,
    extract(line: string): ExtractedValues | null {
      if (!matchFields(line)) return null;
      // The count-only check records no offsets: split the line for its values.
      const fields = fieldsOf(line);
      const values: ExtractedValues = {};
      const count = fields.count;
      const tail = after?.length ?? 0;
      for (let i = 0; i < count; i++) {
        const slot = i < before.length ? before[i] : i >= count - tail ? after![i - (count - tail)] : undefined;
        values[slot?.name ? `$${slot.name}` : `$${i + 1}`] = fields.value(i);
      }
      return values;
    },
  };
}
