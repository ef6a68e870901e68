/**
 * What the CI roles may do, derived from the naming catalogue and the lab's region: the plan role reads
 * configuration (never data), the apply role creates, changes and deletes the lab's resources and nothing
 * else. Where AWS names a resource only after creating it (EC2 ids), the project tag scopes it:
 * created with the tag (aws:RequestTag), changed only while it carries it (aws:ResourceTag), and tags
 * are written only while creating (ec2:CreateAction) or on what is already the project's.
 * Proven both ways in __tests__/iam (a simulator over the calls a recorded run made, and attack probes).
 * Why it is built this way: docs/ci.md.
 */
import type { LabArns, LabNames } from "../config/names";
import { sessionManagerStatements } from "./lab-instance";
import type { PolicyStatement } from "./policy-documents";

export interface CiScope {
  readonly partition: string;
  /** The lab's region (not the state bucket's). */
  readonly region: string;
  readonly accountId: string;
  readonly names: LabNames;
  readonly arns: LabArns;
  readonly projectTag: string;
  readonly stateBucketArn: string;
  /** State keys in the bucket: the lab's (the apply role writes it) and the state-backend stack's (read only). */
  readonly labStateKey: string;
  readonly stateBackendStateKey: string;
}

const TAG_KEY = "Project";

/** The calls that create EC2 resources, with the types they create (always with the project tag). */
const EC2_CREATES: Readonly<Record<string, readonly string[]>> = {
  CreateVpc: ["vpc"],
  CreateSubnet: ["subnet"],
  CreateInternetGateway: ["internet-gateway"],
  CreateRouteTable: ["route-table"],
  CreateNetworkAcl: ["network-acl"],
  CreateSecurityGroup: ["security-group"],
  AuthorizeSecurityGroupIngress: ["security-group-rule"],
  AuthorizeSecurityGroupEgress: ["security-group-rule"],
  RunInstances: ["instance", "volume", "network-interface"],
  CreateFlowLogs: ["vpc-flow-log"],
};
const EC2_CREATE_ACTIONS = Object.keys(EC2_CREATES);

/** Reads of EC2 that support no resource-level permission (AWS requires `*`): configuration, not data. */
const EC2_DESCRIBE = [
  "ec2:DescribeAccountAttributes",
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeFlowLogs",
  "ec2:DescribeImages",
  "ec2:DescribeInstanceCreditSpecifications",
  "ec2:DescribeInstances",
  "ec2:DescribeInstanceTypes",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeManagedPrefixLists",
  "ec2:DescribeNetworkAcls",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeRouteTables",
  "ec2:DescribeSecurityGroupRules",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeTags",
  "ec2:DescribeVolumes",
  "ec2:DescribeVpcs",
] as const;

/** Bucket configuration that the AWS provider reads on every refresh of an aws_s3_bucket. */
const S3_BUCKET_READS = [
  "s3:GetAccelerateConfiguration",
  "s3:GetBucketAcl",
  "s3:GetBucketCORS",
  "s3:GetBucketLocation",
  "s3:GetBucketLogging",
  "s3:GetBucketObjectLockConfiguration",
  "s3:GetBucketOwnershipControls",
  "s3:GetBucketPolicy",
  "s3:GetBucketPublicAccessBlock",
  "s3:GetBucketRequestPayment",
  "s3:GetBucketTagging",
  "s3:GetBucketVersioning",
  "s3:GetBucketWebsite",
  "s3:GetEncryptionConfiguration",
  "s3:GetLifecycleConfiguration",
  "s3:GetReplicationConfiguration",
  "s3:ListBucket",
] as const;

const ourTag = (scope: CiScope) => ({ StringEquals: { [`aws:ResourceTag/${TAG_KEY}`]: scope.projectTag } });
const newTag = (scope: CiScope) => ({ StringEquals: { [`aws:RequestTag/${TAG_KEY}`]: scope.projectTag } });

function ec2Arn(scope: CiScope, type: string): string {
  return `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:${type}/*`;
}

/** Every EC2 resource of the account in the lab's region: scoped further by the project tag. */
function ec2Any(scope: CiScope): string {
  return `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:*`;
}

/** Configuration reads: everything a refresh of both stacks calls. Both roles get these. */
export function readStatements(scope: CiScope): PolicyStatement[] {
  const { arns } = scope;
  const p = scope.partition;
  return [
    { Sid: "Ec2Describe", Effect: "Allow", Action: [...EC2_DESCRIBE], Resource: "*" },
    {
      // Attribute reads name a resource (an instance's user data among them): only the project's.
      Sid: "Ec2AttributesOfOurs",
      Effect: "Allow",
      Action: ["ec2:DescribeInstanceAttribute", "ec2:DescribeVpcAttribute"],
      Resource: ec2Any(scope),
      Condition: ourTag(scope),
    },
    {
      Sid: "Ec2PrefixListOfInstanceConnect",
      Effect: "Allow",
      Action: "ec2:GetManagedPrefixListEntries",
      // AWS-managed prefix lists are owned by the account "aws".
      Resource: `arn:${p}:ec2:${scope.region}:aws:prefix-list/*`,
    },
    // Supports no resource-level permission (AWS requires `*`): names and settings of log groups, no events.
    { Sid: "LogGroupsList", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
    {
      Sid: "LabLogGroupRead",
      Effect: "Allow",
      Action: ["logs:ListTagsForResource", "logs:ListTagsLogGroup", "logs:DescribeMetricFilters"],
      Resource: [arns.logGroup, arns.logGroupStreams],
    },
    {
      Sid: "IamRead",
      Effect: "Allow",
      Action: [
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListPolicyVersions",
        "iam:GetInstanceProfile",
        "iam:GetOpenIDConnectProvider",
      ],
      Resource: [
        arns.flowLogRole,
        arns.flowLogPolicy,
        arns.instanceRole,
        arns.instanceProfile,
        arns.ciPlanRole,
        arns.ciApplyRole,
        arns.ciReadPolicy,
        arns.ciWriteNetworkPolicy,
        arns.ciWriteIdentityPolicy,
        arns.ciWriteServicesPolicy,
        arns.ciBoundary,
        `arn:${p}:iam::${scope.accountId}:oidc-provider/token.actions.githubusercontent.com`,
      ],
    },
    {
      Sid: "BucketConfigurationRead",
      Effect: "Allow",
      Action: [...S3_BUCKET_READS, "s3:ListTagsForResource"],
      Resource: [arns.flowLogBucket, scope.stateBucketArn],
    },
    { Sid: "KmsAliasesList", Effect: "Allow", Action: "kms:ListAliases", Resource: "*" },
    {
      Sid: "AlarmTopicRead",
      Effect: "Allow",
      Action: ["sns:GetTopicAttributes", "sns:ListTagsForResource", "sns:GetSubscriptionAttributes"],
      Resource: [arns.alarmTopic, `${arns.alarmTopic}:*`],
    },
    // Lists every rule's definition (no resource-level permission: AWS requires `*`); no contributor data.
    { Sid: "InsightRulesList", Effect: "Allow", Action: "cloudwatch:DescribeInsightRules", Resource: "*" },
    // Saved Logs Insights queries have no ARN IAM can name (AWS requires `*`); they hold query text only.
    { Sid: "QueryDefinitionsList", Effect: "Allow", Action: "logs:DescribeQueryDefinitions", Resource: "*" },
    {
      Sid: "InsightRuleTagsRead",
      Effect: "Allow",
      Action: "cloudwatch:ListTagsForResource",
      Resource: arns.contributorRules,
    },
    { Sid: "DashboardRead", Effect: "Allow", Action: "cloudwatch:GetDashboard", Resource: arns.dashboard },
    {
      Sid: "AlarmRead",
      Effect: "Allow",
      Action: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
      Resource: arns.alarms,
    },
    {
      Sid: "GlueRead",
      Effect: "Allow",
      Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetTags", "glue:GetPartitionIndexes"],
      Resource: [arns.glueCatalog, arns.glueDatabase, arns.glueTable],
    },
    {
      Sid: "AthenaRead",
      Effect: "Allow",
      Action: ["athena:GetWorkGroup", "athena:ListTagsForResource", "athena:GetNamedQuery", "athena:ListNamedQueries"],
      Resource: arns.athenaWorkgroup,
    },
    { Sid: "AmiParameterRead", Effect: "Allow", Action: "ssm:GetParameter", Resource: arns.amiParameters },
    {
      Sid: "StateRead",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: [
        `${scope.stateBucketArn}/${scope.labStateKey}`,
        `${scope.stateBucketArn}/${scope.stateBackendStateKey}`,
      ],
    },
  ];
}

/**
 * Everything the apply role may change: the lab's resources, by name or by the project tag. In groups,
 * one managed policy each: a managed policy holds at most 6,144 characters.
 */
export function writeStatements(scope: CiScope): Record<"network" | "identity" | "services", PolicyStatement[]> {
  const all = allWriteStatements(scope);
  const group = (sids: readonly string[]) => all.filter((st) => sids.includes(st.Sid ?? ""));
  const network = group(NETWORK_SIDS);
  const identity = group(IDENTITY_SIDS);
  const services = all.filter((st) => !network.includes(st) && !identity.includes(st));
  return { network, identity, services };
}

const NETWORK_SIDS = [
  ...Object.keys(EC2_CREATES).map((action) => `Ec2${action}Tagged`),
  "Ec2CreateInOurs",
  "Ec2TagWhileCreating",
  "Ec2ChangeOurs",
  "Ec2SubnetAclOnDestroy",
  "Ec2LaunchAmazonImages",
  "Ec2RuleFromInstanceConnect",
];
const IDENTITY_SIDS: readonly string[] = [
  "LabRoles",
  "LabRolesChange",
  "LabRolesAttachOwnPolicy",
  "LabPolicy",
  "LabInstanceProfile",
  "PassInstanceRole",
  "PassFlowLogRole",
  "LabKeyCreate",
  "LabKeyAlias",
];

function allWriteStatements(scope: CiScope): PolicyStatement[] {
  const { arns } = scope;
  const p = scope.partition;
  const created = ec2Any(scope);
  return [
    {
      Sid: "StateWrite",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject"],
      Resource: `${scope.stateBucketArn}/${scope.labStateKey}`,
    },
    {
      Sid: "StateLock",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
      Resource: `${scope.stateBucketArn}/${scope.labStateKey}.tflock`,
    },
    // Each creating action only on the type it creates, and only with the project tag on the request.
    ...Object.entries(EC2_CREATES).map(([action, types]) => ({
      Sid: `Ec2${action}Tagged`,
      Effect: "Allow" as const,
      Action: `ec2:${action}`,
      Resource: types.map((type) => ec2Arn(scope, type)),
      Condition: newTag(scope),
    })),
    {
      Sid: "Ec2CreateInOurs",
      Effect: "Allow",
      Action: [
        "ec2:CreateSubnet",
        "ec2:CreateRouteTable",
        "ec2:CreateNetworkAcl",
        "ec2:CreateSecurityGroup",
        "ec2:CreateFlowLogs",
        "ec2:RunInstances",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress",
      ],
      Resource: [ec2Arn(scope, "vpc"), ec2Arn(scope, "subnet"), ec2Arn(scope, "security-group")],
      Condition: ourTag(scope),
    },
    {
      Sid: "Ec2TagWhileCreating",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: created,
      Condition: { StringEquals: { "ec2:CreateAction": EC2_CREATE_ACTIONS } },
    },
    {
      Sid: "Ec2ChangeOurs",
      Effect: "Allow",
      Action: [
        "ec2:CreateTags",
        "ec2:DeleteTags",
        "ec2:ModifyVpcAttribute",
        "ec2:DeleteVpc",
        "ec2:ModifySubnetAttribute",
        "ec2:DeleteSubnet",
        "ec2:AttachInternetGateway",
        "ec2:DetachInternetGateway",
        "ec2:DeleteInternetGateway",
        "ec2:CreateRoute",
        "ec2:ReplaceRoute",
        "ec2:DeleteRoute",
        "ec2:AssociateRouteTable",
        "ec2:DisassociateRouteTable",
        "ec2:DeleteRouteTable",
        "ec2:CreateNetworkAclEntry",
        "ec2:ReplaceNetworkAclEntry",
        "ec2:DeleteNetworkAclEntry",
        "ec2:ReplaceNetworkAclAssociation",
        "ec2:DeleteNetworkAcl",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:ModifySecurityGroupRules",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
        "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
        "ec2:DeleteSecurityGroup",
        "ec2:ModifyInstanceAttribute",
        "ec2:ModifyInstanceMetadataOptions",
        "ec2:StopInstances",
        "ec2:StartInstances",
        "ec2:TerminateInstances",
        "ec2:DeleteFlowLogs",
      ],
      Resource: created,
      Condition: ourTag(scope),
    },
    {
      // Moving our subnet back to its VPC's default ACL (on destroy): the default ACL has no tag, but the
      // subnet must be ours, so this moves only the project's subnets.
      Sid: "Ec2SubnetAclOnDestroy",
      Effect: "Allow",
      Action: "ec2:ReplaceNetworkAclAssociation",
      Resource: ec2Arn(scope, "network-acl"),
    },
    {
      Sid: "Ec2LaunchAmazonImages",
      Effect: "Allow",
      Action: "ec2:RunInstances",
      Resource: `arn:${p}:ec2:${scope.region}::image/*`,
      Condition: { StringEquals: { "ec2:Owner": "amazon" } },
    },
    {
      Sid: "Ec2RuleFromInstanceConnect",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:ModifySecurityGroupRules"],
      Resource: `arn:${p}:ec2:${scope.region}:aws:prefix-list/*`,
    },
    {
      Sid: "FlowLogGroup",
      Effect: "Allow",
      Action: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:AssociateKmsKey",
        "logs:DisassociateKmsKey",
        "logs:TagResource",
        "logs:UntagResource",
        "logs:TagLogGroup",
        "logs:UntagLogGroup",
        "logs:PutMetricFilter",
        "logs:DeleteMetricFilter",
      ],
      Resource: [arns.logGroup, arns.logGroupStreams],
    },
    {
      // Flow logs to S3: the caller's rights to set up log delivery (AWS: "IAM permissions for flow logs
      // to S3"). These actions support no resource-level permission.
      Sid: "FlowLogDeliveryToS3",
      Effect: "Allow",
      Action: ["logs:CreateLogDelivery", "logs:DeleteLogDelivery"],
      Resource: "*",
    },
    {
      Sid: "LabRoles",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      Resource: [arns.flowLogRole, arns.instanceRole],
      // Every role the apply role creates carries the boundary, which it cannot change or remove.
      Condition: { StringEquals: { "iam:PermissionsBoundary": arns.ciBoundary } },
    },
    {
      Sid: "LabRolesChange",
      Effect: "Allow",
      Action: [
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:DetachRolePolicy",
      ],
      Resource: [arns.flowLogRole, arns.instanceRole],
    },
    {
      Sid: "LabRolesAttachOwnPolicy",
      Effect: "Allow",
      Action: "iam:AttachRolePolicy",
      Resource: [arns.flowLogRole, arns.instanceRole],
      Condition: { ArnEquals: { "iam:PolicyARN": [arns.flowLogPolicy] } },
    },
    {
      Sid: "LabPolicy",
      Effect: "Allow",
      Action: [
        "iam:CreatePolicy",
        "iam:DeletePolicy",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:TagPolicy",
        "iam:UntagPolicy",
      ],
      Resource: arns.flowLogPolicy,
    },
    {
      Sid: "LabInstanceProfile",
      Effect: "Allow",
      Action: [
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
      ],
      Resource: arns.instanceProfile,
    },
    {
      Sid: "PassInstanceRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: arns.instanceRole,
      Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    },
    {
      Sid: "PassFlowLogRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: arns.flowLogRole,
      Condition: { StringEquals: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } },
    },
    {
      Sid: "FlowLogBucket",
      Effect: "Allow",
      Action: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:PutBucketTagging",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutBucketOwnershipControls",
        "s3:PutEncryptionConfiguration",
        "s3:PutBucketVersioning",
        "s3:PutLifecycleConfiguration",
        "s3:ListBucketVersions",
      ],
      Resource: arns.flowLogBucket,
    },
    {
      // force_destroy: destroy deletes the logs (and their versions) with the bucket.
      Sid: "FlowLogBucketEmpty",
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      Resource: arns.flowLogBucketObjects,
    },
    {
      // The key is created untagged, with a key policy that makes this role its administrator (LabKey):
      // no right on any existing key comes from IAM.
      Sid: "LabKeyCreate",
      Effect: "Allow",
      Action: "kms:CreateKey",
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:KeySpec": "SYMMETRIC_DEFAULT",
          "kms:KeyUsage": "ENCRYPT_DECRYPT",
          "kms:KeyOrigin": "AWS_KMS",
        },
        Bool: { "kms:BypassPolicyLockoutSafetyCheck": "false" },
      },
    },
    {
      Sid: "LabKeyAlias",
      Effect: "Allow",
      Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
      Resource: arns.keyAlias,
    },
    {
      Sid: "AlarmTopic",
      Effect: "Allow",
      Action: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:SetTopicAttributes",
        "sns:TagResource",
        "sns:UntagResource",
        "sns:Subscribe",
        "sns:Unsubscribe",
      ],
      Resource: [arns.alarmTopic, `${arns.alarmTopic}:*`],
    },
    {
      Sid: "Alarm",
      Effect: "Allow",
      Action: [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
      ],
      Resource: arns.alarms,
    },
    {
      Sid: "Dashboard",
      Effect: "Allow",
      Action: ["cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"],
      Resource: arns.dashboard,
    },
    // No ARN to scope them by (AWS requires `*`): any saved query of the account, which holds no log data.
    {
      Sid: "QueryDefinitions",
      Effect: "Allow",
      Action: ["logs:PutQueryDefinition", "logs:DeleteQueryDefinition"],
      Resource: "*",
    },
    {
      Sid: "InsightRules",
      Effect: "Allow",
      Action: [
        "cloudwatch:PutInsightRule",
        "cloudwatch:DeleteInsightRules",
        "cloudwatch:EnableInsightRules",
        "cloudwatch:DisableInsightRules",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
      ],
      Resource: arns.contributorRules,
    },
    {
      Sid: "Glue",
      Effect: "Allow",
      Action: [
        "glue:CreateDatabase",
        "glue:UpdateDatabase",
        "glue:DeleteDatabase",
        "glue:CreateTable",
        "glue:UpdateTable",
        "glue:DeleteTable",
        "glue:TagResource",
        "glue:UntagResource",
      ],
      Resource: [arns.glueCatalog, arns.glueDatabase, arns.glueTable],
    },
    {
      Sid: "Athena",
      Effect: "Allow",
      Action: [
        "athena:CreateWorkGroup",
        "athena:UpdateWorkGroup",
        "athena:DeleteWorkGroup",
        "athena:TagResource",
        "athena:UntagResource",
        "athena:CreateNamedQuery",
        "athena:UpdateNamedQuery",
        "athena:DeleteNamedQuery",
      ],
      Resource: arns.athenaWorkgroup,
    },
    {
      // Tags given to CreateBucket, and changed later through S3 Control, are S3's TagResource/UntagResource.
      Sid: "FlowLogBucketTags",
      Effect: "Allow",
      Action: ["s3:TagResource", "s3:UntagResource"],
      Resource: arns.flowLogBucket,
    },
  ];
}

/**
 * The permissions boundary of every role the apply role creates: at most what the lab's roles need
 * (write flow-log records into the lab's log group; Session Manager on the instance). A role created
 * with any other policy, or any other trust, still cannot do more.
 */
export function boundaryStatements(scope: CiScope): PolicyStatement[] {
  const { arns } = scope;
  return [
    {
      Sid: "FlowLogRecords",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"],
      Resource: [
        arns.logGroup,
        arns.logGroupStreams,
        `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:*`,
      ],
    },
    ...sessionManagerStatements(scope),
  ];
}
