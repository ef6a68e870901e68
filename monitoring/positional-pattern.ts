/**
 * A space-delimited metric-filter pattern over every field of a flow-log format, by column name, as
 * the walkthrough's ping filter writes it: `[version, account, ..., action="REJECT", flowlogstatus]`.
 * CloudWatch Logs matches such a pattern only on events with exactly as many fields, so each
 * detection's pattern is built for the format the flow log writes (LAB_FLOW_LOG_FORMAT).
 */
import type { FlowLogField } from "./flow-log-fields";

/** `terms`: by column, the term that stands in that field's place (`action="REJECT"`); other fields are bare names. */
export function positionalPattern(
  fields: readonly FlowLogField[],
  terms: Readonly<Record<string, string>> = {},
): string {
  const unknown = Object.keys(terms).filter((column) => !fields.some((f) => f.column === column));
  if (unknown.length > 0) throw new Error(`positionalPattern: the format has no column ${unknown.join(", ")}`);
  return `[${fields.map((f) => terms[f.column] ?? f.column).join(", ")}]`;
}
