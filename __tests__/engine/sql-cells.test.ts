/** Each DuckDB type as it prints: through the formatters, as a user sees it. */
import { DuckDBTimestampTZValue } from "@duckdb/node-api";
import { formatRows } from "../../engine/output/format-rows";
import { openFlowLogDatabase, type FlowLogDatabase } from "../../engine/query/flow-log-database";
import { runSql } from "../../engine/query/run-sql";

let db: FlowLogDatabase;
beforeAll(async () => (db = await openFlowLogDatabase()));
afterAll(() => db.close());

/** The first row of `--format json`, parsed. */
const json = async (sql: string) => JSON.parse(formatRows(await runSql(db.connection, sql), "json"))[0];
const csv = async (sql: string) => formatRows(await runSql(db.connection, sql), "csv");

describe("json", () => {
  it("lists as arrays, NULL inside a list as null", async () => {
    expect(await json("SELECT [1, NULL, 3] AS l, ['a', NULL] AS s, [] :: INTEGER[] AS e")).toEqual({
      l: [1, null, 3],
      s: ["a", null],
      e: [],
    });
  });

  it("structs and maps as objects, nested as deep as they go", async () => {
    const row = await json(
      "SELECT {'a': 1, 'b': 'x', 'c': NULL} AS s, MAP {'k1': 1, 'k2': 2} AS m, MAP {1: 'one'} AS by_int, [{'x': [1, 2]}] AS nested",
    );
    expect(row).toEqual({
      s: { a: 1, b: "x", c: null },
      m: { k1: 1, k2: 2 },
      by_int: { "1": "one" },
      nested: [{ x: [1, 2] }],
    });
  });

  it("histogram and array_agg, the aggregates of the repro", async () => {
    const row = await json(
      "SELECT histogram(action) AS h, array_agg(port ORDER BY port) AS p FROM (VALUES ('ACCEPT', 22), ('ACCEPT', 443), ('REJECT', 3389)) t(action, port)",
    );
    expect(row).toEqual({ h: { ACCEPT: 2, REJECT: 1 }, p: [22, 443, 3389] });
  });

  it("temporal types as DuckDB's text of them, to the microsecond", async () => {
    const row = await json(
      "SELECT INTERVAL '1 day 2 hours' AS i, INTERVAL 14 MONTH AS months, TIME '10:00' AS t, " +
        "TIMESTAMP '2024-05-02 10:00:00.123456' AS ts, DATE '2024-05-02' AS d, [INTERVAL 90 MINUTE] AS li",
    );
    expect(row).toEqual({
      i: "1 day 02:00:00",
      months: "1 year 2 months",
      t: "10:00:00",
      ts: "2024-05-02 10:00:00.123456",
      d: "2024-05-02",
      li: ["01:30:00"],
    });
  });

  it("TIMESTAMPTZ in UTC, the session's zone, whatever the machine's", async () => {
    const machine = DuckDBTimestampTZValue.timezoneOffsetInMinutes;
    DuckDBTimestampTZValue.timezoneOffsetInMinutes = 330; // as on a machine in India
    try {
      const sql = "SELECT to_timestamp(1714644000.25) AS tz, CAST(to_timestamp(1714644000.25) AS VARCHAR) AS duckdb";
      expect(await json(sql)).toEqual({ tz: "2024-05-02 10:00:00.25+00", duckdb: "2024-05-02 10:00:00.25+00" });
    } finally {
      DuckDBTimestampTZValue.timezoneOffsetInMinutes = machine;
    }
  });

  it("decimals as numbers while a double holds them, as text beyond", async () => {
    const row = await json(
      "SELECT 1.50 :: DECIMAL(10, 2) AS price, sum(x) AS total, 12345678901234567.89 :: DECIMAL(38, 2) AS big " +
        "FROM (VALUES (1.25 :: DECIMAL(10, 2)), (2.50)) t(x)",
    );
    expect(row).toEqual({ price: 1.5, total: 3.75, big: "12345678901234567.89" });
  });

  it("integers as numbers while exact, every digit as text beyond 2^53, in a column or a list", async () => {
    const row = await json(
      "SELECT 9007199254740991 AS safe, 9007199254740993 AS unsafe, -9007199254740993 AS negative, " +
        "170141183460469231731687303715884105727 :: HUGEINT AS huge, 42 :: HUGEINT AS small, " +
        "[9007199254740993, 1] AS list",
    );
    expect(row).toEqual({
      safe: 9007199254740991,
      unsafe: "9007199254740993",
      negative: "-9007199254740993",
      huge: "170141183460469231731687303715884105727",
      small: 42,
      list: ["9007199254740993", 1],
    });
  });

  it("plain types as before: numbers, text, booleans, NULL", async () => {
    expect(await json("SELECT 1 AS i, 1.5 :: DOUBLE AS f, 'x' AS s, true AS b, NULL AS n")).toEqual({
      i: 1,
      f: 1.5,
      s: "x",
      b: true,
      n: null,
    });
  });
});

describe("csv and table", () => {
  it("a nested value is one cell holding its JSON", async () => {
    expect(await csv("SELECT [1, NULL] AS l, {'a': 'x,y'} AS s, MAP {'k': 1} AS m, INTERVAL 1 DAY AS i")).toBe(
      'l,s,m,i\n"[1,null]","{""a"":""x,y""}","{""k"":1}",1 day\n',
    );
    const table = formatRows(await runSql(db.connection, "SELECT [1, 2] AS l, TIME '10:00' AS t"), "table");
    expect(table).toBe("l     | t\n------+---------\n[1,2] | 10:00:00\n(1 row)\n");
  });

  it("HUGEINT and DECIMAL keep every digit", async () => {
    expect(
      await csv(
        "SELECT 170141183460469231731687303715884105727 :: HUGEINT AS h, 12345678901234567.89 :: DECIMAL(38, 2) AS d",
      ),
    ).toBe("h,d\n170141183460469231731687303715884105727,12345678901234567.89\n");
  });
});
