import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Annotations } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";

export interface SshSecurityGroupProps {
  readonly vpcId: string;
  /** @default "Lab-SSH" */
  readonly name?: string;
  /** Allow SSH from the region's EC2 Instance Connect service (its managed prefix list). @default true */
  readonly allowInstanceConnect?: boolean;
  /** Further IPv4 CIDR blocks allowed to SSH, e.g. your own public IP as x.x.x.x/32. @default [] */
  readonly sshCidrs?: readonly string[];
  /** The walkthrough's SSH from 0.0.0.0/0. Off unless asked for; warns at synth. @default false */
  readonly openToWorld?: boolean;
}

/**
 * The walkthrough's `Lab-SSH` group: SSH on port 22. Instead of the walkthrough's 0.0.0.0/0 it admits
 * only EC2 Instance Connect (so browser-based connect works) and the CIDRs the user lists.
 * All egress stays open: the lab pings and updates packages from the instance.
 */
export class SshSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: SshSecurityGroupProps) {
    super(scope, id);
    const name = props.name ?? "Lab-SSH";

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name,
      description: name,
      vpcId: props.vpcId,
      tags: { Name: name },
    });
    const securityGroupId = this.securityGroup.id;

    if (props.allowInstanceConnect ?? true) {
      const prefixList = new DataAwsEc2ManagedPrefixList(this, "instance-connect-prefix-list", {
        name: `com.amazonaws.${AwsContext.of(this).region}.ec2-instance-connect`,
      });
      new VpcSecurityGroupIngressRule(this, "ssh-from-instance-connect", {
        securityGroupId,
        description: "SSH from EC2 Instance Connect",
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        prefixListId: prefixList.id,
      });
    }

    const cidrs = [...(props.sshCidrs ?? [])];
    if (props.openToWorld && !cidrs.includes("0.0.0.0/0")) cidrs.push("0.0.0.0/0");
    if (cidrs.includes("0.0.0.0/0")) {
      Annotations.of(this).addWarning(
        "SSH (port 22) is open to 0.0.0.0/0, as in the walkthrough; keep this lab short-lived.",
      );
    }
    for (const cidr of cidrs) {
      // The id comes from the CIDR, not the list position: reordering the list replaces nothing.
      new VpcSecurityGroupIngressRule(this, `ssh-from-${cidr.replace(/[./]/g, "-")}`, {
        securityGroupId,
        description: cidr === "0.0.0.0/0" ? "SSH from anywhere (walkthrough opt-in)" : `SSH from ${cidr}`,
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: cidr,
      });
    }

    new VpcSecurityGroupEgressRule(this, "all-egress", {
      securityGroupId,
      description: "All outbound traffic (ping, package updates)",
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
    });
  }
}
