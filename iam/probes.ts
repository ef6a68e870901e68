/**
 * What the CI roles must never be able to do, as requests IAM must deny: taking over the account
 * (administrator policies, roles without the boundary, the roles' own policies), other keys, other
 * instances and networks, data (objects, items, parameters, log events), and state outside the lab's key.
 * Templates as in the call table ({name:...} from the naming catalogue); `foreign` ids are resources the
 * project did not create (no project tag).
 */
import type { TableRow } from "./call-table";

export interface Probe extends TableRow {
  /** The attack, in words, for the report. */
  readonly what: string;
}

const ADMIN = "arn:{partition}:iam::aws:policy/AdministratorAccess";
const ec2 = (type: string, id: string) => `arn:{partition}:ec2:{region}:{account}:${type}/${id}`;
const role = (name: string) => `arn:{partition}:iam::{account}:role/${name}`;
const ours = { "aws:ResourceTag/Project": "{projectTag}" };
const tagging = { "aws:RequestTag/Project": "{projectTag}" };
const foreignKey = "arn:{partition}:kms:{region}:{account}:key/1111aaaa-22bb-33cc-44dd-555555eeeeee";

/** Attacks both roles must be denied. */
const EITHER: Omit<Probe, "role">[] = [
  {
    what: "read objects of another bucket",
    action: "s3:GetObject",
    resource: "arn:{partition}:s3:::payroll-exports/2026/salaries.csv",
    context: {},
  },
  {
    what: "read the flow logs' objects (data, not configuration)",
    action: "s3:GetObject",
    resource: "arn:{partition}:s3:::{name:flowLogBucket}/AWSLogs/{account}/vpcflowlogs/{region}/2026/01/01/x.log.gz",
    context: {},
  },
  {
    what: "read the flow logs' objects under Hive-compatible per-hour prefixes (LAB_FLOW_LOG_HIVE_PARTITIONS)",
    action: "s3:GetObject",
    resource:
      "arn:{partition}:s3:::{name:flowLogBucket}/AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/year=2026/month=01/day=01/hour=00/x.log.parquet",
    context: {},
  },
  {
    what: "scan a DynamoDB table",
    action: "dynamodb:Scan",
    resource: "arn:{partition}:dynamodb:{region}:{account}:table/customers",
    context: {},
  },
  {
    what: "read an item",
    action: "dynamodb:GetItem",
    resource: "arn:{partition}:dynamodb:{region}:{account}:table/customers",
    context: {},
  },
  {
    what: "read an account parameter",
    action: "ssm:GetParameter",
    resource: "arn:{partition}:ssm:{region}:{account}:parameter/prod/db-password",
    context: {},
  },
  {
    what: "read a secret",
    action: "secretsmanager:GetSecretValue",
    resource: "arn:{partition}:secretsmanager:{region}:{account}:secret:prod-AbCdEf",
    context: {},
  },
  {
    what: "read the lab's log events",
    action: "logs:GetLogEvents",
    resource: "arn:{partition}:logs:{region}:{account}:log-group:{name:logGroup}:log-stream:eni-1",
    context: {},
  },
  {
    what: "search the lab's log events",
    action: "logs:FilterLogEvents",
    resource: "arn:{partition}:logs:{region}:{account}:log-group:{name:logGroup}",
    context: {},
  },
  {
    what: "decrypt with the lab key",
    action: "kms:Decrypt",
    resource: "arn:{partition}:kms:{region}:{account}:key/{id}",
    context: {},
  },
  { what: "decrypt with another key", action: "kms:Decrypt", resource: foreignKey, context: {} },
  { what: "tag another key with the project tag", action: "kms:TagResource", resource: foreignKey, context: tagging },
  { what: "rewrite another key's policy", action: "kms:PutKeyPolicy", resource: foreignKey, context: ours },
  { what: "schedule another key's deletion", action: "kms:ScheduleKeyDeletion", resource: foreignKey, context: ours },
  {
    what: "attach AdministratorAccess to itself (apply role)",
    action: "iam:AttachRolePolicy",
    resource: role("{name:ciApplyRole}"),
    context: { "iam:PolicyARN": ADMIN },
  },
  {
    what: "attach AdministratorAccess to the plan role",
    action: "iam:AttachRolePolicy",
    resource: role("{name:ciPlanRole}"),
    context: { "iam:PolicyARN": ADMIN },
  },
  {
    what: "give itself an inline policy",
    action: "iam:PutRolePolicy",
    resource: role("{name:ciApplyRole}"),
    context: {},
  },
  {
    what: "trust another principal with the apply role",
    action: "iam:UpdateAssumeRolePolicy",
    resource: role("{name:ciApplyRole}"),
    context: {},
  },
  {
    what: "rewrite its own write policy",
    action: "iam:CreatePolicyVersion",
    resource: "arn:{partition}:iam::{account}:policy/{name:ciWriteIdentityPolicy}",
    context: {},
  },
  {
    what: "rewrite the permissions boundary",
    action: "iam:CreatePolicyVersion",
    resource: "arn:{partition}:iam::{account}:policy/{name:ciBoundary}",
    context: {},
  },
  {
    what: "create a user",
    action: "iam:CreateUser",
    resource: "arn:{partition}:iam::{account}:user/backdoor",
    context: {},
  },
  {
    what: "create access keys",
    action: "iam:CreateAccessKey",
    resource: "arn:{partition}:iam::{account}:user/admin",
    context: {},
  },
  {
    what: "pass the apply role to EC2",
    action: "iam:PassRole",
    resource: role("{name:ciApplyRole}"),
    context: { "iam:PassedToService": "ec2.amazonaws.com" },
  },
  {
    what: "read another instance's user data",
    action: "ec2:DescribeInstanceAttribute",
    resource: ec2("instance", "i-0fedcba9876543210"),
    context: {},
  },
  {
    what: "change another instance's user data",
    action: "ec2:ModifyInstanceAttribute",
    resource: ec2("instance", "i-0fedcba9876543210"),
    context: {},
  },
  {
    what: "open another security group",
    action: "ec2:AuthorizeSecurityGroupIngress",
    resource: ec2("security-group", "sg-0fedcba9876543210"),
    context: {},
  },
  {
    what: "tag another instance with the project tag",
    action: "ec2:CreateTags",
    resource: ec2("instance", "i-0fedcba9876543210"),
    context: tagging,
  },
  {
    what: "add a route to another route table",
    action: "ec2:CreateRoute",
    resource: ec2("route-table", "rtb-0fedcba9876543210"),
    context: {},
  },
  {
    what: "delete another VPC's flow log",
    action: "ec2:DeleteFlowLogs",
    resource: ec2("vpc-flow-log", "fl-0fedcba9876543210"),
    context: {},
  },
  {
    what: "terminate another instance",
    action: "ec2:TerminateInstances",
    resource: ec2("instance", "i-0fedcba9876543210"),
    context: {},
  },
  {
    what: "write the state-backend stack's state",
    action: "s3:PutObject",
    resource: "arn:{partition}:s3:::{stateBucket}/{stateKey:state-backend}",
    context: {},
  },
  {
    what: "write a state key outside the lab's",
    action: "s3:PutObject",
    resource: "arn:{partition}:s3:::{stateBucket}/other-project/terraform.tfstate",
    context: {},
  },
  {
    what: "delete the lab's state",
    action: "s3:DeleteObject",
    resource: "arn:{partition}:s3:::{stateBucket}/{stateKey:lab}",
    context: {},
  },
  {
    what: "change the state bucket's policy",
    action: "s3:PutBucketPolicy",
    resource: "arn:{partition}:s3:::{stateBucket}",
    context: {},
  },
  {
    what: "delete the state bucket",
    action: "s3:DeleteBucket",
    resource: "arn:{partition}:s3:::{stateBucket}",
    context: {},
  },
  {
    what: "publish to another topic",
    action: "sns:Publish",
    resource: "arn:{partition}:sns:{region}:{account}:alerts",
    context: {},
  },
];

/** Attacks on what only the apply role may touch at all: its writes, held to the lab. */
const APPLY: Omit<Probe, "role">[] = [
  {
    what: "attach AdministratorAccess to a lab role",
    action: "iam:AttachRolePolicy",
    resource: role("{name:flowLogRole}"),
    context: { "iam:PolicyARN": ADMIN },
  },
  {
    what: "create a lab role without the boundary",
    action: "iam:CreateRole",
    resource: role("{name:flowLogRole}"),
    context: {},
  },
  {
    what: "create a lab role with another boundary",
    action: "iam:CreateRole",
    resource: role("{name:instanceRole}"),
    context: { "iam:PermissionsBoundary": ADMIN },
  },
  {
    what: "create a role of another name",
    action: "iam:CreateRole",
    resource: role("escalate"),
    context: { "iam:PermissionsBoundary": "arn:{partition}:iam::{account}:policy/{name:ciBoundary}" },
  },
  {
    what: "remove a lab role's boundary",
    action: "iam:DeleteRolePermissionsBoundary",
    resource: role("{name:flowLogRole}"),
    context: {},
  },
  {
    what: "pass the flow-log role to Lambda",
    action: "iam:PassRole",
    resource: role("{name:flowLogRole}"),
    context: { "iam:PassedToService": "lambda.amazonaws.com" },
  },
  {
    what: "create a key that skips the lockout check",
    action: "kms:CreateKey",
    resource: "*",
    context: {
      "kms:KeySpec": "SYMMETRIC_DEFAULT",
      "kms:KeyUsage": "ENCRYPT_DECRYPT",
      "kms:KeyOrigin": "AWS_KMS",
      "kms:BypassPolicyLockoutSafetyCheck": "true",
    },
  },
  {
    what: "launch from an AMI not owned by Amazon",
    action: "ec2:RunInstances",
    resource: "arn:{partition}:ec2:{region}::image/ami-0fedcba9876543210",
    context: { "ec2:Owner": "111122223333" },
  },
  {
    what: "launch into another subnet",
    action: "ec2:RunInstances",
    resource: ec2("subnet", "subnet-0fedcba9876543210"),
    context: tagging,
  },
  { what: "create a VPC without the project tag", action: "ec2:CreateVpc", resource: ec2("vpc", "*"), context: {} },
  {
    what: "move another subnet to an ACL",
    action: "ec2:ReplaceNetworkAclAssociation",
    resource: ec2("subnet", "subnet-0fedcba9876543210"),
    context: {},
  },
  {
    what: "empty another bucket",
    action: "s3:DeleteObject",
    resource: "arn:{partition}:s3:::payroll-exports/2026/salaries.csv",
    context: {},
  },
  {
    what: "delete another log group",
    action: "logs:DeleteLogGroup",
    resource: "arn:{partition}:logs:{region}:{account}:log-group:/aws/lambda/billing",
    context: {},
  },
  {
    what: "delete another alarm",
    action: "cloudwatch:DeleteAlarms",
    resource: "arn:{partition}:cloudwatch:{region}:{account}:alarm:prod-5xx",
    context: {},
  },
];

/** Writes that the plan role, which runs every pull request's code, must not make. */
const PLAN: Omit<Probe, "role">[] = [
  {
    what: "write a lock (plans run with -lock=false)",
    action: "s3:PutObject",
    resource: "arn:{partition}:s3:::{stateBucket}/{stateKey:lab}.tflock",
    context: {},
  },
  {
    what: "delete a lock",
    action: "s3:DeleteObject",
    resource: "arn:{partition}:s3:::{stateBucket}/{stateKey:lab}.tflock",
    context: {},
  },
  {
    what: "write the lab's state",
    action: "s3:PutObject",
    resource: "arn:{partition}:s3:::{stateBucket}/{stateKey:lab}",
    context: {},
  },
  { what: "create a VPC", action: "ec2:CreateVpc", resource: ec2("vpc", "*"), context: tagging },
  {
    what: "terminate the lab's instance",
    action: "ec2:TerminateInstances",
    resource: ec2("instance", "i-{id}"),
    context: ours,
  },
  {
    what: "create a lab role",
    action: "iam:CreateRole",
    resource: role("{name:flowLogRole}"),
    context: { "iam:PermissionsBoundary": "arn:{partition}:iam::{account}:policy/{name:ciBoundary}" },
  },
  {
    what: "pass the instance role",
    action: "iam:PassRole",
    resource: role("{name:instanceRole}"),
    context: { "iam:PassedToService": "ec2.amazonaws.com" },
  },
  {
    what: "rewrite the lab key's policy",
    action: "kms:PutKeyPolicy",
    resource: "arn:{partition}:kms:{region}:{account}:key/{id}",
    context: {},
  },
  {
    what: "delete the flow-log bucket",
    action: "s3:DeleteBucket",
    resource: "arn:{partition}:s3:::{name:flowLogBucket}",
    context: {},
  },
];

export const PROBES: readonly Probe[] = [
  ...EITHER.flatMap((p) => (["plan", "apply"] as const).map((role) => ({ ...p, role }))),
  ...APPLY.map((p) => ({ ...p, role: "apply" as const })),
  ...PLAN.map((p) => ({ ...p, role: "plan" as const })),
];
