import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";

export interface SecureBucketProps {
  /** Exact bucket name. Give this or `bucketPrefix`. */
  readonly bucketName?: string;
  /** Prefix of a name that Terraform makes unique (at most 37 characters). */
  readonly bucketPrefix?: string;
  /** Allow `terraform destroy` to delete a bucket that still holds objects. @default false */
  readonly forceDestroy?: boolean;
  /** @default false */
  readonly versioned?: boolean;
}

/**
 * An S3 bucket with the baseline every bucket of this project gets: all public access blocked,
 * ACLs disabled (BucketOwnerEnforced), default encryption (SSE-S3, with an S3 bucket key).
 * Bucket policies and lifecycle rules are added by the construct that owns the bucket.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly versioning?: S3BucketVersioningA;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    if ((props.bucketName === undefined) === (props.bucketPrefix === undefined)) {
      throw new Error(`SecureBucket ${this.node.path}: give exactly one of bucketName and bucketPrefix`);
    }

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      bucketPrefix: props.bucketPrefix,
      forceDestroy: props.forceDestroy ?? false,
    });

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    new S3BucketOwnershipControls(this, "ownership-controls", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });

    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    });

    if (props.versioned) {
      this.versioning = new S3BucketVersioningA(this, "versioning", {
        bucket: this.bucket.id,
        versioningConfiguration: { status: "Enabled" },
      });
    }
  }
}
