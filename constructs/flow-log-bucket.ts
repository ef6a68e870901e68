import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Construct } from "constructs";
import { BASE_NAMES } from "../config/names";
import { AwsContext } from "./aws-context";
import { SecureBucket } from "./secure-bucket";
import { DEFAULTS } from "./options";
import type { FlowLogFormatName } from "../monitoring/flow-log-fields";
import { accountPrefix, DEFAULT_STORAGE, type FlowLogStorage } from "../monitoring/flow-log-storage";

/** Folder of the bucket that Athena writes query results to (the walkthrough's name). */
export const QUERY_RESULTS_PREFIX = "AthenaQueryResults/";

export interface FlowLogBucketProps {
  /**
   * Exact, globally unique bucket name.
   * @default - the walkthrough's name with the account id and region: "lab-vpc-flow-log-bucket-<account>-<region>"
   */
  readonly bucketName?: string;
  /** Days after which flow-log objects expire. @default 365 */
  readonly flowLogExpirationDays?: number;
  /** Days after which Athena query results expire. @default 30 */
  readonly queryResultExpirationDays?: number;
  /** Deny every request made without TLS (off only for an emulator; SecureBucket). @default true */
  readonly enforceTls?: boolean;
  /** The fields of the records the S3 flow logs deliver here (S3FlowLog and FlowLogAthena read it). @default "default" */
  readonly format?: FlowLogFormatName;
  /**
   * How the S3 flow logs store their files here: the delivery policy's prefix, the flow logs'
   * destination options and the Athena table all follow it. @default DEFAULT_STORAGE (plain text, daily, non-Hive)
   */
  readonly storage?: FlowLogStorage;
}

/**
 * The S3 destination of the flow logs and of Athena's query results, and what the flow logs deliver
 * to it (`format`, `storage`). Its bucket policy grants the log-delivery service exactly what flow-log
 * delivery needs (under the storage's prefix), written in Terraform so that AWS does not
 * attach (and later overwrite) a policy of its own; S3 flow logs must depend on `policy`.
 * Versioned (a deleted or overwritten log stays recoverable for a week); `force_destroy` is on:
 * `cdktf destroy` must remove the bucket with the logs (and their versions) in it.
 */
export class FlowLogBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;
  readonly queryResultsPrefix = QUERY_RESULTS_PREFIX;
  /** The records' fields, as every S3 flow log to this bucket writes them. */
  readonly format: FlowLogFormatName;
  /** The files' format and prefixes, as every S3 flow log to this bucket stores them. */
  readonly storage: FlowLogStorage;

  constructor(scope: Construct, id: string, props: FlowLogBucketProps = {}) {
    super(scope, id);
    const aws = AwsContext.of(this);
    this.format = props.format ?? DEFAULTS.flowLogFormat;
    this.storage = { ...(props.storage ?? DEFAULT_STORAGE) };

    const fromThisAccountsLogDelivery = {
      StringEquals: { "aws:SourceAccount": aws.accountId },
      ArnLike: { "aws:SourceArn": `arn:${aws.partition}:logs:${aws.region}:${aws.accountId}:*` },
    };

    const secure = new SecureBucket(this, "secure-bucket", {
      bucketName: props.bucketName ?? `${BASE_NAMES.flowLogBucket}-${aws.accountId}-${aws.region}`,
      forceDestroy: true,
      versioned: true,
      enforceTls: props.enforceTls,
      lifecycleRules: [
        {
          id: "expire-flow-logs",
          status: "Enabled",
          filter: [{ prefix: "AWSLogs/" }],
          expiration: [{ days: props.flowLogExpirationDays ?? DEFAULTS.flowLogExpirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 7 }],
        },
        {
          id: "expire-query-results",
          status: "Enabled",
          filter: [{ prefix: QUERY_RESULTS_PREFIX }],
          expiration: [{ days: props.queryResultExpirationDays ?? DEFAULTS.queryResultExpirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
        },
        {
          id: "abort-incomplete-uploads",
          status: "Enabled",
          filter: [{ prefix: "" }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      // Log delivery's own rights, written here so that AWS does not attach (and later overwrite) a policy.
      policyStatements: (arn) => [
        {
          Sid: "AWSLogDeliveryWrite",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${arn}/${accountPrefix(this.storage, aws.accountId)}/*`,
          Condition: {
            ...fromThisAccountsLogDelivery,
            StringEquals: { ...fromThisAccountsLogDelivery.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" },
          },
        },
        {
          Sid: "AWSLogDeliveryAclCheck",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: ["s3:GetBucketAcl", "s3:ListBucket"],
          Resource: arn,
          Condition: fromThisAccountsLogDelivery,
        },
      ],
    });
    this.bucket = secure.bucket;
    this.policy = secure.policy!;
  }
}
