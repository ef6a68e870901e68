/**
 * The flow-log format and S3 storage options where the sides meet: the monitor's round trip deploys
 * every option that is not the walkthrough's (the lab's deploys the walkthrough's), and this reads back
 * what the flow logs, the metric filters and the Glue table hold, then runs the deployed side on files
 * the engine writes in that format and layout:
 * - the Glue table's location template, filled with a generated file's partition values, is that
 *   file's folder (the table reads where the flow log's options put the files);
 * - the deployed metric filters (read back) over those extended Parquet files raise the deployed alarms
 *   where the walkthrough's format finds the same incident.
 */
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeMetricFiltersCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeFlowLogsCommand } from "@aws-sdk/client-ec2";
import { GetTableCommand } from "@aws-sdk/client-glue";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { LabConfig } from "../config/lab-config";
import type { LabNames } from "../config/names";
import { replayMinutes } from "../engine/commands/replay-minutes";
import { findingsOf } from "../engine/detect/findings";
import { scenario } from "../engine/generate/scenarios";
import { generateLogs } from "../engine/generate/write-generated-logs";
import { labDetections } from "../monitoring/detections";
import { columnType, flowLogFields, flowLogFormat } from "../monitoring/flow-log-fields";
import { asDestinationOptions, partitionColumns, storageOf } from "../monitoring/flow-log-storage";
import { EMULATOR_ACCOUNT } from "./deployments";
import { asAlarm } from "./deployed-alarm";
import { clients, type Checks } from "./emulator";

/** The monitor round trip's flow-log options: every one that is not the walkthrough's default. */
export const EVERY_FLOW_LOG_OPTION = {
  LAB_FLOW_LOG_FORMAT: "extended",
  LAB_FLOW_LOG_FILE_FORMAT: "parquet",
  LAB_FLOW_LOG_HIVE_PARTITIONS: "true",
  LAB_FLOW_LOG_PER_HOUR: "true",
} as const;

const START = Date.UTC(2024, 4, 1) / 1000;
/** The scenarios the run writes, and the detections each raises. */
const FIRES = {
  quiet: [],
  "ssh-brute-force": ["ssh-rdp-rejected"],
  "ping-deny": ["ping-deny"],
} as const satisfies Record<string, readonly string[]>;

/**
 * `names`: the watched VPC's (its log group, filters, alarms) and the shared ones (bucket, Glue table);
 * `config`: the settings it was deployed with, the watched VPC's block as `vpcCidr`.
 */
export async function checkFormatsDeployed(
  checks: Checks,
  endpoint: string,
  region: string,
  vpcId: string,
  config: LabConfig,
  own: LabNames,
  shared: { readonly flowLogBucket: string; readonly glueDatabase: string; readonly glueTable: string },
): Promise<void> {
  const c = clients(endpoint, region, checks.callErrors);
  const fields = flowLogFields(config.flowLogFormat);
  const storage = storageOf(config);

  const flowLogs =
    (await c.ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "resource-id", Values: [vpcId] }] }))).FlowLogs ??
    [];
  checks.expect(
    `both flow logs write the ${config.flowLogFormat} format's ${fields.length} fields`,
    flowLogs.length === 2 && flowLogs.every((f) => f.LogFormat === flowLogFormat(fields)),
    flowLogs.map((f) => f.LogFormat),
  );
  const s3 = flowLogs.find((f) => f.LogDestinationType === "s3");
  checks.expect(
    "the S3 flow log delivers Parquet under Hive-compatible per-hour prefixes",
    isDeepStrictEqual(s3?.DestinationOptions, asDestinationOptions(storage)),
    s3?.DestinationOptions,
  );

  const detections = labDetections(config);
  const ours = [
    { ...detections["ping-deny"].filter, filterName: own.metricFilter },
    { ...detections["ssh-rdp-rejected"].filter, filterName: own.sshRdpMetricFilter },
    { ...detections["flow-log-skipdata"].filter, filterName: own.skipDataMetricFilter },
    { ...detections["flow-log-skipdata"].denominator, filterName: own.recordsMetricFilter },
  ];
  const filters =
    (await c.logs.send(new DescribeMetricFiltersCommand({ logGroupName: own.logGroup }))).metricFilters ?? [];
  const deployedPattern = (name: string) => filters.find((f) => f.filterName === name)?.filterPattern;
  checks.expect(
    `every metric filter's pattern names the ${fields.length} fields, as the project builds it`,
    ours.every((f) => deployedPattern(f.filterName) === f.pattern),
    filters.map((f) => [f.filterName, f.filterPattern]),
  );

  const table = (await c.glue.send(new GetTableCommand({ DatabaseName: shared.glueDatabase, Name: shared.glueTable })))
    .Table;
  const columns = (table?.StorageDescriptor?.Columns ?? []).map((col) => `${col.Name} ${col.Type}`);
  checks.expect(
    "the Glue table: the format's columns, typed as the Parquet files type them",
    JSON.stringify(columns) === JSON.stringify(fields.map((f) => `${f.column} ${columnType(f, storage.fileFormat)}`)),
    columns,
  );
  checks.expect(
    "the Glue table reads Parquet by column position (AWS names the columns account_id, start: the table keeps the walkthrough's), partitioned by year, month, day and hour",
    (table?.StorageDescriptor?.SerdeInfo?.SerializationLibrary ?? "").endsWith("ParquetHiveSerDe") &&
      table?.StorageDescriptor?.SerdeInfo?.Parameters?.["parquet.column.index.access"] === "true" &&
      JSON.stringify((table?.PartitionKeys ?? []).map((k) => k.Name)) === JSON.stringify(partitionColumns(storage)),
    [table?.StorageDescriptor?.SerdeInfo, table?.PartitionKeys],
  );

  // AWS, "Flow log files": Hive-compatible, per hour. Written out, not built from the project's layout code.
  const template = table?.Parameters?.["storage.location.template"];
  const documented =
    `s3://${shared.flowLogBucket}/AWSLogs/aws-account-id=${EMULATOR_ACCOUNT}/aws-service=vpcflowlogs/aws-region=${region}` +
    "/year=${year}/month=${month}/day=${day}/hour=${hour}";
  checks.expect("the table's location template is AWS's Hive-compatible per-hour layout", template === documented, [
    template,
    documented,
  ]);

  const alarms =
    (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [own.alarm, own.sshRdpAlarm] }))).MetricAlarms ??
    [];
  const replayed = [
    { detection: detections["ping-deny"], filterName: own.metricFilter, alarmName: own.alarm },
    { detection: detections["ssh-rdp-rejected"], filterName: own.sshRdpMetricFilter, alarmName: own.sshRdpAlarm },
  ].map((r) => ({
    ...r,
    pattern: deployedPattern(r.filterName),
    alarm: alarms.find((a) => a.AlarmName === r.alarmName),
  }));
  const missing = replayed.filter((r) => r.pattern === undefined || r.alarm === undefined);
  checks.expect(
    "the filters and alarms to replay are deployed",
    missing.length === 0,
    missing.map((r) => r.filterName),
  );
  if (missing.length > 0) return;
  // The engine's files in the deployed layout, for the deployed side to read.
  const work = mkdtempSync(join(tmpdir(), "lab-formats-"));
  try {
    for (const name of Object.keys(FIRES) as (keyof typeof FIRES)[]) {
      const folder = join(work, name);
      const { files } = await generateLogs({
        records: 0,
        source: scenario(name, START).records,
        outDir: folder,
        start: new Date(START * 1000),
        account: EMULATOR_ACCOUNT,
        region,
        logFormat: config.flowLogFormat,
        storage,
      });
      if (name === "quiet") {
        // Where the table looks for a file's partition: the template filled with the file's values.
        const file = files[0].slice(folder.length + 1);
        const values = Object.fromEntries(
          [...file.matchAll(/(year|month|day|hour)=(\d+)/g)].map((m) => [m[1], m[2]] as const),
        );
        const where = (template ?? "").replace(/\$\{(\w+)\}/g, (_, column: string) => values[column] ?? "?");
        checks.expect(
          "the engine's files lie where the deployed table looks: the template, filled with a file's partition values, is its folder",
          where === `s3://${shared.flowLogBucket}/${dirname(file)}`,
          [where, file],
        );
      }
      const { minutes } = await replayMinutes({
        logs: [folder],
        fields,
        filters: replayed.map((r) => ({ ...r.detection.filter, pattern: r.pattern! })),
        by: "the deployed metric filters",
      });
      replayed.forEach((r, i) => {
        const rule = asAlarm(alarms, r.alarmName);
        const found = findingsOf({ ...r.detection, alarm: rule }, minutes[i]);
        const expected = (FIRES[name] as readonly string[]).includes(r.detection.id);
        checks.expect(
          `${r.detection.id}: the deployed filter and alarm on ${name} (extended Parquet) ${expected ? "fire" : "stay quiet"}`,
          expected ? found.length > 0 : found.length === 0,
          found.length,
        );
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
