import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { PROJECT_TAG } from "../constructs/project-tag";

/** Services the stacks call; in endpoint mode each is pointed at the emulator. */
const SERVICES = [
  "athena",
  "cloudwatch",
  "cloudwatchlogs",
  "ec2",
  "glue",
  "iam",
  "kms",
  "s3",
  "s3Control",
  "sns",
  "ssm",
  "sts",
] as const;

export interface LabProviderProps {
  readonly region: string;
  /** Every AWS call goes here (moto, LocalStack); credential and metadata checks are skipped. */
  readonly endpoint?: string;
  readonly nameSuffix: string;
  /**
   * A second provider of the stack (`provider = aws.<alias>`) that puts no default tags on what it
   * creates, for resources that a CI role must create untagged (the lab's KMS key). @default none
   */
  readonly untaggedAlias?: string;
}

/** The AWS provider of both stacks: default tags on everything (unless untaggedAlias), and the emulator switch. */
export function labAwsProvider(scope: Construct, props: LabProviderProps): AwsProvider {
  const endpoint = props.endpoint;
  const untagged = props.untaggedAlias;
  return new AwsProvider(scope, untagged ? `aws-${untagged}` : "aws", {
    region: props.region,
    ...(untagged ? { alias: untagged } : {}),
    defaultTags: untagged
      ? undefined
      : [
          {
            tags: {
              Project: PROJECT_TAG,
              ManagedBy: "cdktf",
              ...(props.nameSuffix ? { LabSuffix: props.nameSuffix } : {}),
            },
          },
        ],
    ...(endpoint
      ? {
          endpoints: [Object.fromEntries(SERVICES.map((s) => [s, endpoint]))],
          s3UsePathStyle: true,
          skipCredentialsValidation: true,
          skipMetadataApiCheck: "true",
          skipRequestingAccountId: false,
          // An emulator answers an unimplemented call with 500s: fail after a few tries, not minutes.
          maxRetries: 3,
          // Emulators serve self-signed certificates.
          insecure: true,
          skipRegionValidation: true,
        }
      : {}),
  });
}

/**
 * Both providers of a stack that creates a KMS key: the default one (tagged) and the untagged one the
 * key is created with (tagging a key at creation needs kms:TagResource on every key of the account).
 */
export function labAwsProviders(
  scope: Construct,
  props: Omit<LabProviderProps, "untaggedAlias">,
): { readonly tagged: AwsProvider; readonly untagged: AwsProvider } {
  return {
    tagged: labAwsProvider(scope, props),
    untagged: labAwsProvider(scope, { ...props, untaggedAlias: "untagged" }),
  };
}
