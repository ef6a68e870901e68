import {
  DEFAULT_STORAGE,
  logFileSuffix,
  logsPrefix,
  partitionPath,
  type FlowLogStorage,
} from "../../monitoring/flow-log-storage";

/**
 * Where the S3 destination puts a flow-log file of one delivery window, for a storage
 * (monitoring/flow-log-storage.ts): by default AWSLogs/<account>/vpcflowlogs/<region>/yyyy/MM/dd/<name>.
 */
export function s3LogKey(
  account: string,
  region: string,
  flowLogId: string,
  windowStart: Date,
  storage: FlowLogStorage = DEFAULT_STORAGE,
): string {
  const iso = windowStart.toISOString();
  const parts = { year: iso.slice(0, 4), month: iso.slice(5, 7), day: iso.slice(8, 10), hour: iso.slice(11, 13) };
  const stamp = `${parts.year}${parts.month}${parts.day}T${parts.hour}${iso.slice(14, 16)}Z`;
  const hash = (windowStart.getTime() / 1000).toString(16).padStart(8, "0").slice(-8);
  const folder = `${logsPrefix(storage, account, region)}/${partitionPath(storage, (c) => parts[c])}`;
  return `${folder}/${account}_vpcflowlogs_${region}_${flowLogId}_${stamp}_${hash}.${logFileSuffix(storage)}`;
}
