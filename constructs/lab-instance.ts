import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { AwsContext } from "./aws-context";
import { trustPolicy } from "./policy-documents";
import { Construct } from "constructs";

export type AmiOs = "al2023" | "al2";
export type CpuArchitecture = "x86_64" | "arm64";

/** Public SSM parameters that always name the latest Amazon Linux AMI. */
export function amiParameter(os: AmiOs, architecture: CpuArchitecture): string {
  return os === "al2023"
    ? `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`
    : `/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-${architecture}-gp2`;
}

export interface LabInstanceProps {
  readonly subnetId: string;
  readonly securityGroupIds: string[];
  /** @default "t2.micro" */
  readonly instanceType?: string;
  /** @default "al2023" */
  readonly os?: AmiOs;
  /** Must match the instance type (arm64 for Graviton types). @default "x86_64" */
  readonly architecture?: CpuArchitecture;
  /** Name of the instance; its IAM role and instance profile are named `<name>-Role`. @default "Lab-VPC-Flow-Log-Instance" */
  readonly name?: string;
  /** Let Systems Manager Session Manager reach the instance (a keyless alternative to SSH). @default true */
  readonly sessionManager?: boolean;
  /** Root volume size; Amazon Linux AMIs need at least 8 GiB (the console's default). @default 8 */
  readonly rootVolumeSizeGib?: number;
}

/**
 * The lab's EC2 instance: public IP, no key pair (EC2 Instance Connect, which Amazon Linux ships with),
 * IMDSv2 only, encrypted root volume, and a role that lets Session Manager in as a keyless alternative. The AMI is resolved from the public SSM parameter; a newer AMI
 * does not replace a running instance (ami is ignored after creation; `-replace` to refresh it).
 */
export class LabInstance extends Construct {
  readonly instance: Instance;
  readonly role: IamRole;
  readonly amiParameterName: string;

  constructor(scope: Construct, id: string, props: LabInstanceProps) {
    super(scope, id);
    this.amiParameterName = amiParameter(props.os ?? "al2023", props.architecture ?? "x86_64");
    const ami = new DataAwsSsmParameter(this, "ami", { name: this.amiParameterName });
    const name = props.name ?? "Lab-VPC-Flow-Log-Instance";
    const aws = AwsContext.of(this);

    this.role = new IamRole(this, "role", {
      name: `${name}-Role`,
      description: `Role of the EC2 instance ${name}`,
      assumeRolePolicy: trustPolicy({ Service: "ec2.amazonaws.com" }),
    });
    if (props.sessionManager ?? true) {
      new IamRolePolicyAttachment(this, "session-manager", {
        role: this.role.name,
        policyArn: `arn:${aws.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
      });
    }
    const profile = new IamInstanceProfile(this, "profile", { name: `${name}-Role`, role: this.role.name });

    this.instance = new Instance(this, "instance", {
      ami: ami.insecureValue,
      instanceType: props.instanceType ?? "t2.micro",
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
      tags: { Name: name },
      lifecycle: { ignoreChanges: ["ami"] },
    });
  }
}
