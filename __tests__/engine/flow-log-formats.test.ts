/**
 * The engine follows LAB_FLOW_LOG_FORMAT and the S3 storage options: the same records written in the
 * extended format, as Parquet, under Hive-compatible per-hour prefixes, give every query and every
 * detection the same answers as the walkthrough's files; the extended format's own queries run on them,
 * and a file that lacks a field the deployed format has is refused by name.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectInLogs } from "../../engine/commands/detect-command";
import type { CommandIo } from "../../engine/commands/io";
import { querySql, runQueryOnLogs } from "../../engine/commands/query-command";
import { rowObjects } from "../../engine/query/row-objects";
import { replayLogs } from "../../engine/commands/replay-command";
import { EngineError } from "../../engine/engine-error";
import { scenario, type ScenarioName } from "../../engine/generate/scenarios";
import { generateLogs } from "../../engine/generate/write-generated-logs";
import { KNOWN_FIELDS, type FlowLogFormatName } from "../../monitoring/flow-log-fields";
import { DEFAULT_STORAGE, type FlowLogStorage } from "../../monitoring/flow-log-storage";
import { PING_DENY_ALARM, PING_DENY_FILTER } from "../../monitoring/ping-deny";
import { NAMED_QUERIES } from "../../monitoring/named-queries";
import { EXTENDED_STORAGE, generatedLogs } from "./generated-logs";

const quiet: CommandIo = { out: () => {}, err: () => {} };
const EXTENDED = { LAB_FLOW_LOG_FORMAT: "extended" };
const START = Date.UTC(2024, 4, 1) / 1000;
const params = { source: "10.0.0.10", destination: "10.0.0.12" };
let textDir: string;
let extendedDir: string;
let dir: string;

beforeAll(async () => {
  ({ textDir, extendedDir } = await generatedLogs());
  dir = mkdtempSync(join(tmpdir(), "flowlogs-formats-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rowsOf = async (logs: string, sql: string) => rowObjects(await runQueryOnLogs({ logs: [logs], sql }, quiet));
const sqlOf = (id: string) => {
  const query = NAMED_QUERIES.find((q) => q.id === id)!;
  return querySql({
    name: id,
    params: Object.fromEntries(query.params.map((p) => [p.name, params[p.name as keyof typeof params]])),
  });
};

describe("the files of every storage option at once", () => {
  it("lie under the Hive-compatible per-hour prefixes, one Parquet file per hour folder", () => {
    const files = (readdirSync(extendedDir, { recursive: true }) as string[]).filter((f) => f.endsWith(".parquet"));
    expect(files.length).toBeGreaterThan(24);
    for (const file of files)
      expect(file).toMatch(
        /^AWSLogs\/aws-account-id=123456789012\/aws-service=vpcflowlogs\/aws-region=us-east-1\/year=2024\/month=05\/day=0[1-3]\/hour=\d\d\/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_2024050\dT\d{4}Z_[0-9a-f]{8}\.log\.parquet$/,
      );
    expect(EXTENDED_STORAGE).toEqual({ fileFormat: "parquet", hiveCompatiblePartitions: true, perHourPartition: true });
  });

  it("name and type their columns as AWS's Parquet files do (AWS, Available fields: the Parquet type of each)", async () => {
    const file = (readdirSync(extendedDir, { recursive: true }) as string[]).find((f) => f.endsWith(".parquet"))!;
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT name, type FROM parquet_schema('${join(extendedDir, file)}') WHERE name <> 'duckdb_schema'`,
      );
      const schema = reader.getRowObjectsJS().map((r) => `${String(r.name)}:${String(r.type)}`);
      // Written out from AWS's table, not from the catalogue.
      expect(schema).toEqual([
        "version:INT32",
        "account_id:BYTE_ARRAY",
        "interface_id:BYTE_ARRAY",
        "srcaddr:BYTE_ARRAY",
        "dstaddr:BYTE_ARRAY",
        "srcport:INT32",
        "dstport:INT32",
        "protocol:INT32",
        "packets:INT64",
        "bytes:INT64",
        "start:INT64",
        "end:INT64",
        "action:BYTE_ARRAY",
        "log_status:BYTE_ARRAY",
        "vpc_id:BYTE_ARRAY",
        "subnet_id:BYTE_ARRAY",
        "instance_id:BYTE_ARRAY",
        "tcp_flags:INT32",
        "type:BYTE_ARRAY",
        "pkt_srcaddr:BYTE_ARRAY",
        "pkt_dstaddr:BYTE_ARRAY",
        "region:BYTE_ARRAY",
        "az_id:BYTE_ARRAY",
        "sublocation_type:BYTE_ARRAY",
        "sublocation_id:BYTE_ARRAY",
        "pkt_src_aws_service:BYTE_ARRAY",
        "pkt_dst_aws_service:BYTE_ARRAY",
        "flow_direction:BYTE_ARRAY",
        "traffic_path:INT32",
      ]);
      expect(KNOWN_FIELDS).toHaveLength(schema.length);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe("queries", () => {
  it.each(NAMED_QUERIES.filter((q) => !q.columns).map((q) => q.id))(
    "named query %s: the same rows as on the walkthrough's files",
    async (id) => {
      const sql = sqlOf(id);
      const rows = await rowsOf(textDir, sql);
      expect(rows.length).toBeGreaterThan(0);
      expect(await rowsOf(extendedDir, sql)).toEqual(rows);
    },
  );

  it("hour: the hour folder's (a file never spans two hours), NULL in daily folders, as the tables' partitions", async () => {
    const byFolder = await rowsOf(
      extendedDir,
      "SELECT year, month, day, hour, count(*) AS n FROM vpc_flow_log GROUP BY ALL ORDER BY ALL",
    );
    expect(byFolder.length).toBeGreaterThan(24);
    const byStart = await rowsOf(
      textDir,
      "SELECT year, month, day, strftime(make_timestamp(starttime::BIGINT * 1000000), '%H') AS hour, count(*) AS n FROM vpc_flow_log GROUP BY ALL ORDER BY ALL",
    );
    expect(byFolder).toEqual(byStart);
    expect(await rowsOf(textDir, "SELECT count(*) AS n FROM vpc_flow_log WHERE hour IS NOT NULL")).toEqual([{ n: 0 }]);
  });

  it.each(NAMED_QUERIES.filter((q) => q.columns).map((q) => q.id))(
    "extended query %s: answers on extended files, and names the field the walkthrough's files lack",
    async (id) => {
      const query = NAMED_QUERIES.find((q) => q.id === id)!;
      const rows = await rowsOf(extendedDir, sqlOf(id));
      expect(rows.length).toBeGreaterThan(0);
      for (const column of query.columns!) expect(rows[0]).toHaveProperty(column);
      await expect(rowsOf(textDir, sqlOf(id))).rejects.toThrow(
        new RegExp(`needs the fields? ${query.columns![0].replaceAll("_", "-")}.*lacks`),
      );
    },
  );

  it("top-talking instances: the six interfaces' instances, busiest first", async () => {
    const rows = await rowsOf(extendedDir, sqlOf("top-talking-instances"));
    expect(rows.map((r) => r.instance_id)).toHaveLength(6);
    const bytes = rows.map((r) => Number(r.bytes));
    expect([...bytes].sort((a, b) => b - a)).toEqual(bytes);
    // The same totals by interface from the walkthrough's files (one instance per interface).
    const byEni = await rowsOf(
      textDir,
      "SELECT sum(bytes) AS bytes FROM vpc_flow_log WHERE flowlogstatus = 'OK' GROUP BY eni ORDER BY bytes DESC",
    );
    expect(bytes).toEqual(byEni.map((r) => Number(r.bytes)));
  });
});

/** Each option on its own, and all at once: a bug of one option cannot hide behind another. */
const LAYOUTS = {
  walkthrough: { logFormat: "default", storage: DEFAULT_STORAGE },
  "extended text": { logFormat: "extended", storage: DEFAULT_STORAGE },
  "default Parquet": { logFormat: "default", storage: { ...DEFAULT_STORAGE, fileFormat: "parquet" } },
  "Hive prefixes": { logFormat: "default", storage: { ...DEFAULT_STORAGE, hiveCompatiblePartitions: true } },
  "per-hour folders": { logFormat: "default", storage: { ...DEFAULT_STORAGE, perHourPartition: true } },
  "extended Parquet, Hive, per hour": { logFormat: "extended", storage: EXTENDED_STORAGE },
} as const satisfies Record<string, { logFormat: FlowLogFormatName; storage: FlowLogStorage }>;
type Layout = keyof typeof LAYOUTS;

describe("detections", () => {
  const folders = new Map<string, string>();
  async function logsOf(name: ScenarioName, layout: Layout | boolean): Promise<string> {
    const chosen: Layout =
      layout === true ? "extended Parquet, Hive, per hour" : layout === false ? "walkthrough" : layout;
    const key = `${name}-${chosen}`;
    if (!folders.has(key)) {
      const outDir = join(dir, key.replaceAll(/[ ,]+/g, "-"));
      await generateLogs({
        records: 0,
        source: scenario(name, START).records,
        outDir,
        start: new Date(START * 1000),
        ...LAYOUTS[chosen],
      });
      folders.set(key, outDir);
    }
    return folders.get(key)!;
  }
  const envOf = (layout: Layout) => (LAYOUTS[layout].logFormat === "extended" ? EXTENDED : {});

  const scenarios = [
    "quiet",
    "ping-deny",
    "ssh-brute-force",
    "port-scan",
    "flow-log-gap",
    "flow-log-skipdata",
  ] as const;
  it.each(
    (Object.keys(LAYOUTS) as Layout[])
      .filter((l) => l !== "walkthrough")
      .flatMap((layout) => scenarios.map((name) => [name, layout] as const)),
  )("%s, %s: the deployment of that format finds what the walkthrough's finds on its files", async (name, layout) => {
    const walkthrough = await detectInLogs({ logs: [await logsOf(name, "walkthrough")], env: {} }, quiet);
    if (name === "quiet") expect(walkthrough).toEqual([]);
    else expect(walkthrough.length).toBeGreaterThan(0);
    expect(await detectInLogs({ logs: [await logsOf(name, layout)], env: envOf(layout) }, quiet)).toEqual(walkthrough);
  });

  it("replay on extended text: every detection's alarm, as on the walkthrough's files", async () => {
    for (const detection of ["ping-deny", "ssh-rdp-rejected", "flow-log-skipdata", "port-scan"]) {
      const name = {
        "ping-deny": "ping-deny",
        "ssh-rdp-rejected": "ssh-brute-force",
        "flow-log-skipdata": "flow-log-skipdata",
        "port-scan": "port-scan",
      }[detection] as ScenarioName;
      const walkthrough = await replayLogs({ logs: [await logsOf(name, "walkthrough")], env: {}, detection }, quiet);
      expect(walkthrough.transitions.some((t) => t.to === "ALARM")).toBe(true);
      const extended = await replayLogs(
        { logs: [await logsOf(name, "extended text")], env: EXTENDED, detection },
        quiet,
      );
      expect([detection, extended]).toEqual([detection, walkthrough]);
    }
  });

  it("a filter built for the other format is refused, not a silent zero", async () => {
    const logs = await logsOf("ping-deny", "extended text");
    await expect(
      replayLogs({ logs: [logs], env: EXTENDED, filter: PING_DENY_FILTER, alarm: PING_DENY_ALARM }, quiet),
    ).rejects.toThrow(/Lab-VPC-Flow-Log-Ping-Deny names 14 fields, the records have 29/);
  });

  it("the walkthrough's deployment reads extended files too (their default fields, in order)", async () => {
    const logs = await logsOf("ssh-brute-force", true);
    const expected = await detectInLogs({ logs: [await logsOf("ssh-brute-force", false)], env: {} }, quiet);
    expect(await detectInLogs({ logs: [logs], env: {} }, quiet)).toEqual(expected);
  });

  it("an extended deployment refuses files without the extended fields, naming them and the setting", async () => {
    const logs = await logsOf("ping-deny", false);
    const refused = detectInLogs({ logs: [logs], env: EXTENDED }, quiet);
    await expect(refused).rejects.toThrow(EngineError);
    await expect(refused).rejects.toThrow(/vpc-id.*LAB_FLOW_LOG_FORMAT|LAB_FLOW_LOG_FORMAT.*vpc-id/s);
  });

  it("replay: the walkthrough's alarm on extended Parquet, as on the walkthrough's files", async () => {
    const walkthrough = await replayLogs({ logs: [await logsOf("ping-deny", false)], env: {} }, quiet);
    expect(walkthrough.transitions.some((t) => t.to === "ALARM")).toBe(true);
    const extended = await replayLogs({ logs: [await logsOf("ping-deny", true)], env: EXTENDED }, quiet);
    expect(extended).toEqual(walkthrough);
  });
});
