import { Parser } from "node-sql-parser";
import { NAMED_QUERIES, renderQuery } from "../../monitoring/named-queries";

describe("every deployed named query is valid Athena (Trino) SQL", () => {
  const parser = new Parser();
  it.each(NAMED_QUERIES.map((q) => [q.id, q] as const))("%s parses in the Trino and Athena dialects", (_id, query) => {
    const params = Object.fromEntries(query.params.map((p) => [p.name, "10.0.0.49"]));
    const sql = renderQuery(query, { table: "lab.vpc_flow_log", params });
    for (const database of ["trino", "athena"]) expect(() => parser.astify(sql, { database })).not.toThrow();
  });

  it("includes the walkthrough's two queries", () => {
    expect(NAMED_QUERIES.map((q) => q.id)).toEqual(expect.arrayContaining(["icmp-from-source", "rejected-traffic"]));
  });
});
