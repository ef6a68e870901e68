/**
 * The flow-log record formats the lab deploys and reads: the default (version 2) fields, in order,
 * with the column names and types of the walkthrough's Athena table, and the extended format (the
 * default fields, then those of versions 3 to 5). The flow logs' log_format, the metric filters'
 * positional patterns, the Glue table's columns and the offline engine's parser all come from these
 * lists.
 */

export type ColumnType = "int" | "bigint" | "string";

/** LAB_FLOW_LOG_FORMAT: the walkthrough's default fields, or those and every field of versions 3 to 5. */
export const FLOW_LOG_FORMATS = ["default", "extended"] as const;
export type FlowLogFormatName = (typeof FLOW_LOG_FORMATS)[number];

export interface FlowLogField {
  /** The field's name in the flow-log format (`${account-id}`) and in a delivered file's header line. */
  readonly field: string;
  /** The walkthrough's column name in the Athena table. */
  readonly column: string;
  /** The field as CloudWatch Logs Insights discovers it in a flow-log group (default format). */
  readonly insights: string;
  readonly type: ColumnType;
  /** The column's type in a Parquet file of the S3 destination, where it differs (INT_64 counters and times). */
  readonly parquetType?: ColumnType;
  /** The flow-log version that introduced the field. */
  readonly version: 2 | 3 | 4 | 5;
}

export const FLOW_LOG_FIELDS: readonly FlowLogField[] = [
  { field: "version", column: "version", insights: "version", type: "int", version: 2 },
  { field: "account-id", column: "account", insights: "accountId", type: "string", version: 2 },
  { field: "interface-id", column: "eni", insights: "interfaceId", type: "string", version: 2 },
  { field: "srcaddr", column: "source", insights: "srcAddr", type: "string", version: 2 },
  { field: "dstaddr", column: "destination", insights: "dstAddr", type: "string", version: 2 },
  { field: "srcport", column: "srcport", insights: "srcPort", type: "int", version: 2 },
  { field: "dstport", column: "destport", insights: "dstPort", type: "int", version: 2 },
  { field: "protocol", column: "protocol", insights: "protocol", type: "int", version: 2 },
  { field: "packets", column: "packets", insights: "packets", type: "int", parquetType: "bigint", version: 2 },
  { field: "bytes", column: "bytes", insights: "bytes", type: "bigint", version: 2 },
  { field: "start", column: "starttime", insights: "startTime", type: "int", parquetType: "bigint", version: 2 },
  { field: "end", column: "endtime", insights: "endTime", type: "int", parquetType: "bigint", version: 2 },
  { field: "action", column: "action", insights: "action", type: "string", version: 2 },
  { field: "log-status", column: "flowlogstatus", insights: "logStatus", type: "string", version: 2 },
];

/**
 * The fields of versions 3 to 5, as the extended format appends them after the default ones (so the
 * default fields keep their positions: the Contributor Insights rules' CLF positions and the saved
 * queries hold for both formats). Columns are the field names with underscores, as the VPC console's
 * Athena integration names them.
 */
export const EXTENDED_FIELDS: readonly FlowLogField[] = [
  { field: "vpc-id", column: "vpc_id", insights: "vpcId", type: "string", version: 3 },
  { field: "subnet-id", column: "subnet_id", insights: "subnetId", type: "string", version: 3 },
  { field: "instance-id", column: "instance_id", insights: "instanceId", type: "string", version: 3 },
  { field: "tcp-flags", column: "tcp_flags", insights: "tcpFlags", type: "int", version: 3 },
  { field: "type", column: "type", insights: "type", type: "string", version: 3 },
  { field: "pkt-srcaddr", column: "pkt_srcaddr", insights: "pktSrcAddr", type: "string", version: 3 },
  { field: "pkt-dstaddr", column: "pkt_dstaddr", insights: "pktDstAddr", type: "string", version: 3 },
  { field: "region", column: "region", insights: "region", type: "string", version: 4 },
  { field: "az-id", column: "az_id", insights: "azId", type: "string", version: 4 },
  { field: "sublocation-type", column: "sublocation_type", insights: "sublocationType", type: "string", version: 4 },
  { field: "sublocation-id", column: "sublocation_id", insights: "sublocationId", type: "string", version: 4 },
  {
    field: "pkt-src-aws-service",
    column: "pkt_src_aws_service",
    insights: "pktSrcAwsService",
    type: "string",
    version: 5,
  },
  {
    field: "pkt-dst-aws-service",
    column: "pkt_dst_aws_service",
    insights: "pktDstAwsService",
    type: "string",
    version: 5,
  },
  { field: "flow-direction", column: "flow_direction", insights: "flowDirection", type: "string", version: 5 },
  { field: "traffic-path", column: "traffic_path", insights: "trafficPath", type: "int", version: 5 },
];

/** Every field the lab knows, in the extended format's order. */
export const KNOWN_FIELDS: readonly FlowLogField[] = [...FLOW_LOG_FIELDS, ...EXTENDED_FIELDS];

/**
 * A record's `version` field in a format: "the highest version among the specified fields" (AWS,
 * "Flow log records"): 2 for the default format, 5 for the extended one.
 */
export function formatVersion(fields: readonly FlowLogField[]): number {
  return Math.max(...fields.map((f) => f.version));
}

/** The fields of a format, in the order the flow log writes them. */
export function flowLogFields(format: FlowLogFormatName): readonly FlowLogField[] {
  return format === "extended" ? KNOWN_FIELDS : FLOW_LOG_FIELDS;
}

/** A field's column type in the Athena table over files of `fileFormat` (Parquet's INT_64 counters and times are bigint). */
export function columnType(field: FlowLogField, fileFormat: "plain-text" | "parquet"): ColumnType {
  return fileFormat === "parquet" ? (field.parquetType ?? field.type) : field.type;
}

/** The position (0-based) of `field` in `fields`; throws when the format lacks it (a programming error). */
export function fieldIndex(fields: readonly FlowLogField[], field: string): number {
  const index = fields.findIndex((f) => f.field === field);
  if (index < 0) throw new Error(`the flow-log format has no field ${field}`);
  return index;
}

/**
 * The `log_format` string of the flow logs: `${version} ${account-id} ...`.
 * Terraform would read `${...}` as interpolation: the constructs wrap it in Fn.rawString.
 */
export function flowLogFormat(fields: readonly FlowLogField[]): string {
  return fields.map((f) => "${" + f.field + "}").join(" ");
}

/**
 * Athena partition columns of the S3 flow-log table by day (`.../yyyy/MM/dd/`); per-hour delivery adds
 * `hour` (monitoring/flow-log-storage.ts).
 */
export const PARTITION_COLUMNS = ["year", "month", "day"] as const;

/** Protocol numbers (IANA) the queries and generators use. */
export const PROTOCOL = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;
