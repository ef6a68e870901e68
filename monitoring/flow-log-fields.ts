/**
 * The flow-log record format the lab deploys and reads: the default (version 2) fields, in order,
 * with the column names and types of the walkthrough's Athena table.
 * The flow logs' log_format, the metric filter's positional pattern, the Glue table's columns and the
 * offline engine's parser all come from this one list.
 */

export type ColumnType = "int" | "bigint" | "string";

export interface FlowLogField {
  /** The field's name in the flow-log format (`${account-id}`) and in a delivered file's header line. */
  readonly field: string;
  /** The walkthrough's column name in the Athena table. */
  readonly column: string;
  /** The field as CloudWatch Logs Insights discovers it in a flow-log group (default format). */
  readonly insights: string;
  readonly type: ColumnType;
}

export const FLOW_LOG_FIELDS: readonly FlowLogField[] = [
  { field: "version", column: "version", insights: "version", type: "int" },
  { field: "account-id", column: "account", insights: "accountId", type: "string" },
  { field: "interface-id", column: "eni", insights: "interfaceId", type: "string" },
  { field: "srcaddr", column: "source", insights: "srcAddr", type: "string" },
  { field: "dstaddr", column: "destination", insights: "dstAddr", type: "string" },
  { field: "srcport", column: "srcport", insights: "srcPort", type: "int" },
  { field: "dstport", column: "destport", insights: "dstPort", type: "int" },
  { field: "protocol", column: "protocol", insights: "protocol", type: "int" },
  { field: "packets", column: "packets", insights: "packets", type: "int" },
  { field: "bytes", column: "bytes", insights: "bytes", type: "bigint" },
  { field: "start", column: "starttime", insights: "startTime", type: "int" },
  { field: "end", column: "endtime", insights: "endTime", type: "int" },
  { field: "action", column: "action", insights: "action", type: "string" },
  { field: "log-status", column: "flowlogstatus", insights: "logStatus", type: "string" },
];

/**
 * The `log_format` string of the flow logs: `${version} ${account-id} ...`.
 * Terraform would read `${...}` as interpolation: the constructs wrap it in Fn.rawString.
 */
export function flowLogFormat(fields: readonly FlowLogField[] = FLOW_LOG_FIELDS): string {
  return fields.map((f) => "${" + f.field + "}").join(" ");
}

/** Athena partition columns of the S3 flow-log table (non-Hive S3 layout `.../yyyy/MM/dd/`). */
export const PARTITION_COLUMNS = ["year", "month", "day"] as const;

/** Protocol numbers (IANA) the queries and generators use. */
export const PROTOCOL = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;
