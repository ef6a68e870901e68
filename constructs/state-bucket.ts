import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { SecureBucket } from "./secure-bucket";

export interface StateBucketProps {
  /** Exact, globally unique name; the stacks' S3 backend points at it. */
  readonly bucketName?: string;
  /** Used when no bucketName is given; read the generated name from the stack output. @default "lab-tfstate-" */
  readonly bucketPrefix?: string;
  /** Days old state versions are kept. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Let `terraform destroy` delete the bucket with every state version in it. For the documented
   * teardown only (README, "Tear down"); off, destroying the bucket fails while it holds state. @default false
   */
  readonly forceDestroy?: boolean;
  /** Deny every request made without TLS (off only for an emulator; SecureBucket). @default true */
  readonly enforceTls?: boolean;
}

/**
 * Bucket for Terraform state: versioned (every state write can be rolled back), encrypted, private,
 * TLS-only. Not force-destroyed unless asked for: destroying it by accident must fail while it holds state.
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBucketProps = {}) {
    super(scope, id);
    this.bucket = new SecureBucket(this, "secure-bucket", {
      bucketName: props.bucketName,
      bucketPrefix: props.bucketName ? undefined : (props.bucketPrefix ?? "lab-tfstate-"),
      versioned: true,
      forceDestroy: props.forceDestroy ?? false,
      enforceTls: props.enforceTls,
      lifecycleRules: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    }).bucket;
  }
}
