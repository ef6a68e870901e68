/**
 * A Contributor Insights rule on CLF records, read as AWS documents it (ContributorInsights-RuleSyntax):
 * fields by position (from 1) under the names `Fields` gives them; every filter must pass (AND); In
 * and StartsWith pass on any of their values (OR); GreaterThan, LessThan and EqualTo compare numbers.
 * The e2e run reads the deployed rules with it, beside the engine's own form of the same detection.
 */

interface RuleDefinition {
  readonly LogFormat: string;
  readonly Fields: Record<string, string>;
  readonly Contribution: { readonly Keys: readonly string[]; readonly Filters: readonly Record<string, unknown>[] };
}

export interface InsightRuleReader {
  /** The contributor (its keys' values, space-separated) a record adds to; undefined when a filter leaves it out. */
  contributor(line: string): string | undefined;
}

export function insightRuleReader(definition: string): InsightRuleReader {
  const rule = JSON.parse(definition) as RuleDefinition;
  if (rule.LogFormat !== "CLF") throw new Error(`only CLF rules are read here, not ${rule.LogFormat}`);
  const position = new Map(Object.entries(rule.Fields).map(([p, name]) => [name, Number(p) - 1]));
  // A field the record lacks is no value: no filter passes on it (Number(undefined) is NaN).
  const value = (fields: readonly string[], name: string): string | undefined =>
    fields[position.get(name) ?? Number(name) - 1];
  const passes = (fields: readonly string[], filter: Record<string, unknown>): boolean => {
    const v = value(fields, String(filter.Match));
    if (v === undefined) return false;
    if ("In" in filter) return (filter.In as string[]).includes(v);
    if ("NotIn" in filter) return !(filter.NotIn as string[]).includes(v);
    if ("StartsWith" in filter) return (filter.StartsWith as string[]).some((p) => v.startsWith(p));
    if ("GreaterThan" in filter) return Number(v) > Number(filter.GreaterThan);
    if ("LessThan" in filter) return Number(v) < Number(filter.LessThan);
    if ("EqualTo" in filter) return Number(v) === Number(filter.EqualTo);
    if ("NotEqualTo" in filter) return Number(v) !== Number(filter.NotEqualTo);
    throw new Error(`a filter this reader does not know: ${JSON.stringify(filter)}`);
  };
  return {
    contributor(line) {
      const fields = line.split(" ");
      if (!rule.Contribution.Filters.every((f) => passes(fields, f))) return undefined;
      return rule.Contribution.Keys.map((k) => value(fields, k)).join(" ");
    },
  };
}

/** One window of a Count rule: its UniqueContributors and MaxContributorValue. */
export interface ContributorWindow {
  readonly unique: number;
  readonly maxContributorValue: number;
}

/** A Count rule's statistics per window over records stamped with their start (as the log events are). */
export function contributorsByWindow(
  definition: string,
  records: readonly { readonly line: string; readonly start: number }[],
  periodSeconds: number,
): Map<number, ContributorWindow> {
  const reader = insightRuleReader(definition);
  const windows = new Map<number, Map<string, number>>();
  for (const { line, start } of records) {
    const key = reader.contributor(line);
    if (key === undefined) continue;
    const window = Math.floor(start / periodSeconds) * periodSeconds;
    if (!windows.has(window)) windows.set(window, new Map());
    const counts = windows.get(window)!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map(
    [...windows]
      .sort((a, b) => a[0] - b[0])
      .map(([w, counts]) => [w, { unique: counts.size, maxContributorValue: Math.max(...counts.values()) }]),
  );
}
