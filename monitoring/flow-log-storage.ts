/**
 * How the S3 destination stores flow-log files, written once: the flow log's destination options,
 * the Glue table (SerDe, location, partition projection) and the engine's generator (object keys)
 * all come from here. The default is the walkthrough's: plain-text gzip files under
 * `AWSLogs/<account>/vpcflowlogs/<region>/yyyy/MM/dd/`.
 */
import { DEFAULTS } from "../constructs/options";
import { PARTITION_COLUMNS } from "./flow-log-fields";

/** LAB_FLOW_LOG_FILE_FORMAT: the S3 destination's file formats, in the provider's words. */
export const FLOW_LOG_FILE_FORMATS = ["plain-text", "parquet"] as const;
export type FlowLogFileFormat = (typeof FLOW_LOG_FILE_FORMATS)[number];

/** The S3 flow log's destination options (aws_flow_log `destination_options`). */
export interface FlowLogStorage {
  readonly fileFormat: FlowLogFileFormat;
  /** `aws-account-id=<a>/aws-service=vpcflowlogs/aws-region=<r>/year=<y>/...` instead of `<a>/vpcflowlogs/<r>/<y>/...`. */
  readonly hiveCompatiblePartitions: boolean;
  /** One folder per hour (`.../dd/HH/`): queries that filter on the hour read 1/24 of a day. */
  readonly perHourPartition: boolean;
}

/** The walkthrough's storage (the settings' defaults). */
export const DEFAULT_STORAGE: FlowLogStorage = {
  fileFormat: DEFAULTS.flowLogFileFormat,
  hiveCompatiblePartitions: DEFAULTS.flowLogHivePartitions,
  perHourPartition: DEFAULTS.flowLogPerHour,
};

/** Every partition column a layout can have: year, month, day, and hour with per-hour partitions. */
export const ALL_PARTITION_COLUMNS = [...PARTITION_COLUMNS, "hour"] as const;
export type PartitionColumn = (typeof ALL_PARTITION_COLUMNS)[number];

/** The table's partition columns for a storage. */
export function partitionColumns(storage: FlowLogStorage): readonly PartitionColumn[] {
  return storage.perHourPartition ? ALL_PARTITION_COLUMNS : PARTITION_COLUMNS;
}

/**
 * The folder every file of one account is under (no trailing slash): what the bucket policy lets log
 * delivery write to (AWS, "Amazon S3 bucket permissions for flow logs").
 */
export function accountPrefix(storage: FlowLogStorage, account: string): string {
  return storage.hiveCompatiblePartitions ? `AWSLogs/aws-account-id=${account}` : `AWSLogs/${account}`;
}

/** The folder every file of one account and region is under (no leading or trailing slash). */
export function logsPrefix(storage: FlowLogStorage, account: string, region: string): string {
  return storage.hiveCompatiblePartitions
    ? `${accountPrefix(storage, account)}/aws-service=vpcflowlogs/aws-region=${region}`
    : `${accountPrefix(storage, account)}/vpcflowlogs/${region}`;
}

/**
 * The partition folders of one file (no leading or trailing slash), from each column's value: a
 * date's digits, or Athena's `${year}` placeholders for the projection's location template.
 */
export function partitionPath(storage: FlowLogStorage, value: (column: PartitionColumn) => string): string {
  return partitionColumns(storage)
    .map((c) => (storage.hiveCompatiblePartitions ? `${c}=${value(c)}` : value(c)))
    .join("/");
}

/** The ending of a delivered file's name. */
export function logFileSuffix(storage: FlowLogStorage): string {
  return storage.fileFormat === "parquet" ? "log.parquet" : "log.gz";
}

/** The storage the settings choose (LAB_FLOW_LOG_FILE_FORMAT, LAB_FLOW_LOG_HIVE_PARTITIONS, LAB_FLOW_LOG_PER_HOUR). */
export function storageOf(settings: {
  readonly flowLogFileFormat: FlowLogFileFormat;
  readonly flowLogHivePartitions: boolean;
  readonly flowLogPerHour: boolean;
}): FlowLogStorage {
  return {
    fileFormat: settings.flowLogFileFormat,
    hiveCompatiblePartitions: settings.flowLogHivePartitions,
    perHourPartition: settings.flowLogPerHour,
  };
}

/** A storage as the EC2 API writes it (CreateFlowLogs' and DescribeFlowLogs' DestinationOptions). */
export function asDestinationOptions(storage: FlowLogStorage): Record<string, unknown> {
  return {
    FileFormat: storage.fileFormat,
    HiveCompatiblePartitions: storage.hiveCompatiblePartitions,
    PerHourPartition: storage.perHourPartition,
  };
}
