import { NetworkAclRule } from "@cdktf/provider-aws/lib/network-acl-rule";
import { IcmpEgressDenyRule } from "../../constructs/icmp-egress-deny-rule";
import { synthConstruct } from "../helpers";

test("rule 90: outbound, all ICMP (IPv4), 0.0.0.0/0, deny", () => {
  const json = synthConstruct((scope) => new IcmpEgressDenyRule(scope, "deny", { networkAclId: "acl-1" }));
  expect(json).toHaveResourceWithProperties(NetworkAclRule, {
    network_acl_id: "acl-1",
    rule_number: 90,
    egress: true,
    protocol: "1",
    rule_action: "deny",
    cidr_block: "0.0.0.0/0",
    icmp_type: -1,
    icmp_code: -1,
  });
});

test("rule number and CIDR can be overridden", () => {
  const json = synthConstruct(
    (scope) =>
      new IcmpEgressDenyRule(scope, "deny", { networkAclId: "acl-1", ruleNumber: 50, cidrBlock: "8.8.8.8/32" }),
  );
  expect(json).toHaveResourceWithProperties(NetworkAclRule, { rule_number: 50, cidr_block: "8.8.8.8/32" });
});
