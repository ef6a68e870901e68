import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { denyInsecureTransport, policyDocument, type PolicyStatement } from "./policy-documents";

export interface SecureBucketProps {
  /** Exact bucket name. Give this or `bucketPrefix`. */
  readonly bucketName?: string;
  /** Prefix of a name that Terraform makes unique (at most 37 characters). */
  readonly bucketPrefix?: string;
  /** Allow `terraform destroy` to delete a bucket that still holds objects. @default false */
  readonly forceDestroy?: boolean;
  /** @default false */
  readonly versioned?: boolean;
  /** Lifecycle rules (rules on old versions wait for versioning). @default no lifecycle configuration */
  readonly lifecycleRules?: S3BucketLifecycleConfigurationRule[];
  /** Statements of the bucket policy beside the TLS-only deny, given the bucket's ARN. @default none */
  readonly policyStatements?: (bucketArn: string) => PolicyStatement[];
  /**
   * Deny every request made without TLS. Turn off only for an emulator that ignores policy conditions
   * (moto applies the deny to every request). @default true
   */
  readonly enforceTls?: boolean;
}

/**
 * An S3 bucket with the baseline every bucket of this project gets: all public access blocked, ACLs disabled
 * (BucketOwnerEnforced), default encryption (SSE-S3, with an S3 bucket key), TLS-only, and the lifecycle and
 * policy statements its owner gives.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly versioning?: S3BucketVersioningA;
  /** The bucket policy (absent when there is nothing to put in it). */
  readonly policy?: S3BucketPolicy;

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

    if (props.lifecycleRules?.length) {
      new S3BucketLifecycleConfiguration(this, "lifecycle", {
        bucket: this.bucket.id,
        // Rules for noncurrent versions need versioning in place first.
        dependsOn: this.versioning ? [this.versioning] : [],
        rule: props.lifecycleRules,
      });
    }

    const statements = [
      ...(props.enforceTls === false ? [] : [denyInsecureTransport(this.bucket.arn)]),
      ...(props.policyStatements?.(this.bucket.arn) ?? []),
    ];
    if (statements.length > 0) {
      this.policy = new S3BucketPolicy(this, "policy", {
        bucket: this.bucket.id,
        policy: policyDocument(statements),
        // A policy that blocks public access is rejected while the public access block is being created.
        dependsOn: [this.publicAccessBlock],
      });
    }
  }
}
