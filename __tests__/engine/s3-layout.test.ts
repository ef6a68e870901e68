/** The generator's S3 keys are AWS's (the documented forms, written out) and the engine reads their partitions back. */
import { s3LogKey } from "../../engine/generate/s3-layout";
import { pathDate } from "../../engine/query/flow-log-sources";

const at = new Date("2026-11-29T23:55:00Z");
const file = "123456789012_vpcflowlogs_eu-west-1_fl-1_20261129T2355Z_6b0cbb54";

// AWS, "Flow log files": the four layouts of the S3 destination.
test.each([
  [false, false, "plain-text", `AWSLogs/123456789012/vpcflowlogs/eu-west-1/2026/11/29/${file}.log.gz`],
  [false, true, "plain-text", `AWSLogs/123456789012/vpcflowlogs/eu-west-1/2026/11/29/23/${file}.log.gz`],
  [
    true,
    false,
    "parquet",
    `AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=11/day=29/${file}.log.parquet`,
  ],
  [
    true,
    true,
    "parquet",
    `AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=11/day=29/hour=23/${file}.log.parquet`,
  ],
] as const)("hive %s, per hour %s, %s: %s", (hive, perHour, fileFormat, key) => {
  const storage = { fileFormat, hiveCompatiblePartitions: hive, perHourPartition: perHour };
  expect(s3LogKey("123456789012", "eu-west-1", "fl-1", at, storage)).toBe(key);
  expect(pathDate(key)).toEqual({ year: "2026", month: "11", day: "29", ...(perHour ? { hour: "23" } : {}) });
});

test("a path outside the layouts has no partition", () => {
  expect(pathDate("logs/2026-11-29/flow.log.gz")).toBeNull();
  expect(pathDate("AWSLogs/123456789012/vpcflowlogs/eu-west-1/2026/11/flow.log.gz")).toBeNull();
});
