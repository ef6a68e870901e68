import type { Cell, QueryResult } from "./run-sql";

/**
 * Names usable as object keys: a name seen before gets DuckDB's own suffix, the one CREATE TABLE AS
 * gives (n, n_1, n_2; a suffixed name already taken is suffixed again: a, a_1, a_1_1). Only exact
 * repeats are renamed: JSON keys, unlike SQL names, tell case apart.
 */
export function uniqueNames(columns: readonly string[]): string[] {
  const taken = new Set<string>();
  return columns.map((name) => {
    let unique = name;
    for (let k = 1; taken.has(unique); k++) unique = `${name}_${k}`;
    taken.add(unique);
    return unique;
  });
}

/** The rows as objects, keys in column order (fromEntries: a column named __proto__ stays a key). */
export function rowObjects(result: QueryResult): Record<string, Cell>[] {
  const keys = uniqueNames(result.columns);
  return result.rows.map((row) => Object.fromEntries(keys.map((key, i) => [key, row[i]])));
}
