import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Annotations } from "cdktf";
import { Construct } from "constructs";
import { BASE_NAMES } from "../config/names";
import { AwsContext } from "./aws-context";
import { DEFAULTS, type InstanceEgress } from "./options";

export interface SshSecurityGroupProps {
  readonly vpcId: string;
  /** @default - the walkthrough's name, "Lab-SSH" */
  readonly name?: string;
  /** Allow SSH from the region's EC2 Instance Connect service (its managed prefix list). @default true */
  readonly allowInstanceConnect?: boolean;
  /** Further IPv4 CIDR blocks allowed to SSH, e.g. your own public IP as x.x.x.x/32. @default [] */
  readonly sshCidrs?: readonly string[];
  /** The walkthrough's SSH from 0.0.0.0/0. Off unless asked for; warns at synth. @default false */
  readonly openToWorld?: boolean;
  /** @default "lab" */
  readonly egress?: InstanceEgress;
}

/**
 * The walkthrough's `Lab-SSH` group: SSH on port 22. Instead of the walkthrough's 0.0.0.0/0 it admits
 * only EC2 Instance Connect (so browser-based connect works) and the CIDRs the user lists, and lets out
 * only what the lab uses (see INSTANCE_EGRESS).
 */
export class SshSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: SshSecurityGroupProps) {
    super(scope, id);
    const name = props.name ?? BASE_NAMES.securityGroup;

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

    if ((props.egress ?? DEFAULTS.instanceEgress) === "all") {
      new VpcSecurityGroupEgressRule(this, "all-egress", {
        securityGroupId,
        description: "All outbound traffic (the walkthrough's default)",
        ipProtocol: "-1",
        cidrIpv4: "0.0.0.0/0",
      });
    } else {
      // For ICMP the "ports" are the type and code: 8/0 is an echo request (the replies come back
      // through the stateful group without a rule).
      new VpcSecurityGroupEgressRule(this, "ping-egress", {
        securityGroupId,
        description: "ICMP echo requests out: the lab's ping (the network ACL decides whether they leave the subnet)",
        ipProtocol: "icmp",
        fromPort: 8,
        toPort: 0,
        cidrIpv4: "0.0.0.0/0",
      });
      new VpcSecurityGroupEgressRule(this, "https-egress", {
        securityGroupId,
        description: "HTTPS out: package updates and Session Manager",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      });
    }
  }
}
