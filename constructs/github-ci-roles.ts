import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { withSuffix } from "../config/names";
import { AwsContext } from "./aws-context";
import { policyDocument, trustPolicy, type PolicyStatement } from "./policy-documents";
import { PROJECT_TAG } from "./project-tag";

const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

export interface GithubCiRolesProps {
  /** `owner/name` of the GitHub repository whose workflows may assume the roles. */
  readonly repository: string;
  /** Name of the protected GitHub environment that apply and destroy jobs run in. @default "production" */
  readonly environment?: string;
  /** Bucket holding the Terraform state that plans read and lock. */
  readonly stateBucketName: string;
  /** Reuse the account's GitHub OIDC provider (there can be only one per URL). @default a new one */
  readonly existingOidcProviderArn?: string;
  /** Appended to the role and policy names. @default "" */
  readonly nameSuffix?: string;
}

/**
 * GitHub Actions access without long-lived keys: the GitHub OIDC identity provider and two roles.
 * - plan: read-only (AWS ReadOnlyAccess) plus the state bucket (read state, write only lock files);
 *   trusted only for pull-request workflows of the repository.
 * - apply: the plan role's reads plus write access scoped to the lab's resource names; trusted only
 *   for jobs in the protected environment. Its IAM rights reach only the lab's flow-logs and instance roles.
 */
export class GithubCiRoles extends Construct {
  readonly oidcProviderArn: string;
  readonly planRole: IamRole;
  readonly applyRole: IamRole;

  constructor(scope: Construct, id: string, props: GithubCiRolesProps) {
    super(scope, id);
    const aws = AwsContext.of(this);
    const name = (base: string) => withSuffix(base, props.nameSuffix ?? "");
    const environment = props.environment ?? "production";

    this.oidcProviderArn =
      props.existingOidcProviderArn ??
      new IamOpenidConnectProvider(this, "github-oidc", {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: ["sts.amazonaws.com"],
      }).arn;

    const trustedFor = (subject: string) =>
      trustPolicy(
        { Federated: this.oidcProviderArn },
        { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com", [`${GITHUB_OIDC_HOST}:sub`]: subject } },
        "sts:AssumeRoleWithWebIdentity",
      );

    const readOnly = `arn:${aws.partition}:iam::aws:policy/ReadOnlyAccess`;
    const stateBucketArn = `arn:${aws.partition}:s3:::${props.stateBucketName}`;

    this.planRole = new IamRole(this, "plan-role", {
      name: name("lab-ci-plan"),
      description: `terraform plan from pull requests of ${props.repository}`,
      assumeRolePolicy: trustedFor(`repo:${props.repository}:pull_request`),
      maxSessionDuration: 3600,
    });
    const planState = new IamPolicy(this, "plan-state-policy", {
      name: name("lab-ci-plan-state"),
      description: "Read Terraform state; write only lock files (S3-native locking)",
      policy: policyDocument([
        { Sid: "ListState", Effect: "Allow", Action: "s3:ListBucket", Resource: stateBucketArn },
        { Sid: "ReadState", Effect: "Allow", Action: "s3:GetObject", Resource: `${stateBucketArn}/*` },
        {
          Sid: "Lock",
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:DeleteObject"],
          Resource: `${stateBucketArn}/*.tflock`,
        },
      ]),
    });
    this.attach("plan-read-only", this.planRole, readOnly);
    this.attach("plan-state", this.planRole, planState.arn);

    this.applyRole = new IamRole(this, "apply-role", {
      name: name("lab-ci-apply"),
      description: `cdktf deploy/destroy of the lab from the ${environment} environment of ${props.repository}`,
      assumeRolePolicy: trustedFor(`repo:${props.repository}:environment:${environment}`),
      maxSessionDuration: 3600,
    });
    const applyPolicy = new IamPolicy(this, "apply-policy", {
      name: name("lab-ci-apply"),
      description: "Create, change and delete the lab's resources (scoped to their names)",
      policy: policyDocument(labWriteStatements(aws, stateBucketArn)),
    });
    this.attach("apply-read-only", this.applyRole, readOnly);
    this.attach("apply-write", this.applyRole, applyPolicy.arn);
  }

  private attach(id: string, role: IamRole, policyArn: string): void {
    new IamRolePolicyAttachment(this, id, { role: role.name, policyArn });
  }
}

/** Write access to what the lab stack manages, by ARN pattern of the lab's (suffixed) names. */
function labWriteStatements(aws: AwsContext, stateBucketArn: string): PolicyStatement[] {
  const { partition: p, region: r, accountId: a } = aws;
  return [
    {
      Sid: "State",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${stateBucketArn}/*`,
    },
    { Sid: "StateList", Effect: "Allow", Action: "s3:ListBucket", Resource: stateBucketArn },
    {
      Sid: "Network",
      Effect: "Allow",
      Action: "ec2:*",
      Resource: [`arn:${p}:ec2:${r}:${a}:*`, `arn:${p}:ec2:${r}::image/*`],
    },
    {
      Sid: "FlowLogBucket",
      Effect: "Allow",
      Action: "s3:*",
      Resource: [`arn:${p}:s3:::lab-vpc-flow-log-bucket-*`, `arn:${p}:s3:::lab-vpc-flow-log-bucket-*/*`],
    },
    {
      Sid: "FlowLogGroup",
      Effect: "Allow",
      Action: "logs:*",
      Resource: [
        `arn:${p}:logs:${r}:${a}:log-group:Lab-VPC-Flow-Log-Group*`,
        `arn:${p}:logs:${r}:${a}:log-group:Lab-VPC-Flow-Log-Group*:*`,
      ],
    },
    {
      Sid: "FlowLogDelivery",
      Effect: "Allow",
      Action: ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:GetLogDelivery", "logs:ListLogDeliveries"],
      Resource: `arn:${p}:logs:${r}:${a}:*`,
    },
    {
      Sid: "FlowLogRole",
      Effect: "Allow",
      Action: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:CreatePolicy",
        "iam:DeletePolicy",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:TagPolicy",
        "iam:UntagPolicy",
      ],
      Resource: [
        `arn:${p}:iam::${a}:role/flowlogsRole*`,
        `arn:${p}:iam::${a}:policy/flowlogsPolicy*`,
        `arn:${p}:iam::${a}:role/Lab-VPC-Flow-Log-Instance*`,
      ],
    },
    {
      Sid: "InstanceProfile",
      Effect: "Allow",
      Action: [
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
      ],
      Resource: `arn:${p}:iam::${a}:instance-profile/Lab-VPC-Flow-Log-Instance*`,
    },
    {
      Sid: "PassInstanceRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `arn:${p}:iam::${a}:role/Lab-VPC-Flow-Log-Instance*`,
      Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    },
    {
      Sid: "PassFlowLogRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `arn:${p}:iam::${a}:role/flowlogsRole*`,
      Condition: { StringEquals: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } },
    },
    {
      Sid: "AlarmTopic",
      Effect: "Allow",
      Action: "sns:*",
      Resource: `arn:${p}:sns:${r}:${a}:CloudWatch_Alarms_Ping_Deny*`,
    },
    {
      // CreateKey has no resource to scope to; the key must carry the project tag from birth.
      Sid: "AlarmTopicKeyCreate",
      Effect: "Allow",
      Action: ["kms:CreateKey", "kms:TagResource"],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestTag/Project": PROJECT_TAG } },
    },
    {
      Sid: "AlarmTopicKeyAdmin",
      Effect: "Allow",
      Action: [
        "kms:EnableKeyRotation",
        "kms:PutKeyPolicy",
        "kms:ScheduleKeyDeletion",
        "kms:UntagResource",
        "kms:UpdateKeyDescription",
        "kms:CreateAlias",
        "kms:DeleteAlias",
        "kms:GenerateDataKey*",
        "kms:Decrypt",
      ],
      Resource: `arn:${p}:kms:${r}:${a}:key/*`,
      Condition: { StringEquals: { "aws:ResourceTag/Project": PROJECT_TAG } },
    },
    {
      Sid: "AlarmTopicKeyAlias",
      Effect: "Allow",
      Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      Resource: `arn:${p}:kms:${r}:${a}:alias/CloudWatch_Alarms_Ping_Deny*`,
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
      Resource: `arn:${p}:cloudwatch:${r}:${a}:alarm:CloudWatch-Alarm-Ping-Deny*`,
    },
    {
      Sid: "Athena",
      Effect: "Allow",
      Action: "athena:*",
      Resource: `arn:${p}:athena:${r}:${a}:workgroup/lab-vpc-flow-logs*`,
    },
    {
      Sid: "Glue",
      Effect: "Allow",
      Action: "glue:*",
      Resource: [
        `arn:${p}:glue:${r}:${a}:catalog`,
        `arn:${p}:glue:${r}:${a}:database/lab*`,
        `arn:${p}:glue:${r}:${a}:table/lab*/*`,
        `arn:${p}:glue:${r}:${a}:userDefinedFunction/lab*/*`,
      ],
    },
  ];
}
