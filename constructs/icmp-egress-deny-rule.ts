import { NetworkAclRule } from "@cdktf/provider-aws/lib/network-acl-rule";
import { Construct } from "constructs";

export interface IcmpEgressDenyRuleProps {
  /** The network ACL of the subnet to restrict (the lab's subnet uses the VPC's default ACL). */
  readonly networkAclId: string;
  /** Lower numbers are evaluated first; the default ACL's allow-all is rule 100. @default 90 */
  readonly ruleNumber?: number;
  /** @default "0.0.0.0/0" */
  readonly cidrBlock?: string;
}

/**
 * The walkthrough's "forbidden traffic": outbound rule 90 denying all ICMP (IPv4). NACLs are
 * stateless, so a ping from the instance is rejected on its way out and flow logs record a REJECT
 * with protocol 1 and ports 0 0; security groups, being stateful, would not show this.
 */
export class IcmpEgressDenyRule extends Construct {
  readonly rule: NetworkAclRule;

  constructor(scope: Construct, id: string, props: IcmpEgressDenyRuleProps) {
    super(scope, id);
    this.rule = new NetworkAclRule(this, "rule", {
      networkAclId: props.networkAclId,
      ruleNumber: props.ruleNumber ?? 90,
      egress: true,
      protocol: "1",
      ruleAction: "deny",
      cidrBlock: props.cidrBlock ?? "0.0.0.0/0",
      icmpType: -1,
      icmpCode: -1,
    });
  }
}
