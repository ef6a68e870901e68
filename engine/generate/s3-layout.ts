/** Where the S3 destination puts a flow-log file: AWSLogs/<account>/vpcflowlogs/<region>/yyyy/MM/dd/<name>. */
export function s3LogKey(
  account: string,
  region: string,
  flowLogId: string,
  windowStart: Date,
  suffix: string,
): string {
  const iso = windowStart.toISOString();
  const [yyyy, mm, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const stamp = `${yyyy}${mm}${dd}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  const hash = (windowStart.getTime() / 1000).toString(16).padStart(8, "0").slice(-8);
  return `AWSLogs/${account}/vpcflowlogs/${region}/${yyyy}/${mm}/${dd}/${account}_vpcflowlogs_${region}_${flowLogId}_${stamp}_${hash}.${suffix}`;
}
