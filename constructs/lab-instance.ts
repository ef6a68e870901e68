import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Construct } from "constructs";
import { AMI_PARAMETER_PATH, BASE_NAMES } from "../config/names";
import { AwsContext } from "./aws-context";
import { DEFAULTS, type AmiOs, type CpuArchitecture } from "./options";
import { policyDocument, trustPolicy, type PolicyStatement } from "./policy-documents";

/** Public SSM parameters that always name the latest Amazon Linux AMI. */
export function amiParameter(os: AmiOs, architecture: CpuArchitecture): string {
  return os === "al2023"
    ? `${AMI_PARAMETER_PATH}al2023-ami-kernel-default-${architecture}`
    : `${AMI_PARAMETER_PATH}amzn2-ami-hvm-${architecture}-gp2`;
}

/**
 * What the SSM agent needs for Session Manager, and nothing else: register the instance and open the
 * session channels (not AmazonSSMManagedInstanceCore, which also reads every parameter and document).
 * The channel actions support no resource-level permission.
 */
export function sessionManagerStatements(where: {
  partition: string;
  region: string;
  accountId: string;
}): PolicyStatement[] {
  return [
    {
      Sid: "SessionManagerRegister",
      Effect: "Allow",
      Action: "ssm:UpdateInstanceInformation",
      Resource: `arn:${where.partition}:ec2:${where.region}:${where.accountId}:instance/*`,
    },
    {
      Sid: "SessionManagerChannels",
      Effect: "Allow",
      Action: [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ],
      Resource: "*",
    },
  ];
}

export interface LabInstanceProps {
  readonly subnetId: string;
  readonly securityGroupIds: string[];
  /** @default "t2.micro" (the walkthrough's type) */
  readonly instanceType?: string;
  /** @default "al2023" */
  readonly os?: AmiOs;
  /** Must match the instance type (arm64 for Graviton types). @default "x86_64" */
  readonly architecture?: CpuArchitecture;
  /** Name tag of the instance. @default - the walkthrough's name, "Lab-VPC-Flow-Log-Instance" */
  readonly name?: string;
  /** Name of the instance's IAM role and instance profile. @default "Lab-VPC-Flow-Log-Instance-Role" */
  readonly roleName?: string;
  /** Let Systems Manager Session Manager reach the instance (a keyless alternative to SSH). @default true */
  readonly sessionManager?: boolean;
  /** Root volume size; Amazon Linux AMIs need at least 8 GiB (the console's default). @default 8 */
  readonly rootVolumeSizeGib?: number;
  /** Permissions boundary (policy ARN) of the instance role; required when a CI role creates it. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The lab's EC2 instance: public IP, no key pair (EC2 Instance Connect, which Amazon Linux ships with),
 * IMDSv2 only, encrypted root volume, and a role that lets Session Manager in as a keyless alternative.
 * The AMI is resolved from the public SSM parameter; a newer AMI does not replace a running instance
 * (ami is ignored after creation; `-replace` to refresh it).
 */
export class LabInstance extends Construct {
  readonly instance: Instance;
  readonly role: IamRole;
  readonly amiParameterName: string;

  constructor(scope: Construct, id: string, props: LabInstanceProps) {
    super(scope, id);
    this.amiParameterName = amiParameter(props.os ?? DEFAULTS.amiOs, props.architecture ?? "x86_64");
    const ami = new DataAwsSsmParameter(this, "ami", { name: this.amiParameterName });
    const roleName = props.roleName ?? BASE_NAMES.instanceRole;

    this.role = new IamRole(this, "role", {
      name: roleName,
      description: `Role of the lab's EC2 instance`,
      assumeRolePolicy: trustPolicy({ Service: "ec2.amazonaws.com" }),
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    if (props.sessionManager ?? true) {
      new IamRolePolicy(this, "session-manager", {
        name: "SessionManager",
        role: this.role.name,
        policy: policyDocument(sessionManagerStatements(AwsContext.of(this))),
      });
    }
    const profile = new IamInstanceProfile(this, "profile", { name: roleName, role: this.role.name });

    this.instance = new Instance(this, "instance", {
      ami: ami.insecureValue,
      instanceType: props.instanceType ?? DEFAULTS.instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: props.securityGroupIds,
      associatePublicIpAddress: true,
      iamInstanceProfile: profile.name,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      rootBlockDevice: {
        encrypted: true,
        volumeType: "gp3",
        volumeSize: props.rootVolumeSizeGib ?? 8,
        deleteOnTermination: true,
      },
      tags: { Name: props.name ?? BASE_NAMES.instance },
      lifecycle: { ignoreChanges: ["ami"] },
    });
  }
}
