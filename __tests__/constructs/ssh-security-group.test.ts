import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { TerraformStack, Testing } from "cdktf";
import { SshSecurityGroup, type SshSecurityGroupProps } from "../../constructs/ssh-security-group";
import { parse, ref, resources, synthConstruct } from "../helpers";

function ingress(props: Partial<SshSecurityGroupProps> = {}) {
  const tf = parse(synthConstruct((scope) => new SshSecurityGroup(scope, "ssh", { vpcId: "vpc-1", ...props })));
  return { tf, rules: Object.values(resources(tf, "aws_vpc_security_group_ingress_rule")) };
}

describe("SshSecurityGroup with defaults", () => {
  const json = synthConstruct((scope) => new SshSecurityGroup(scope, "ssh", { vpcId: "vpc-1" }));
  const tf = parse(json);

  test("group Lab-SSH with description Lab-SSH in the VPC", () => {
    expect(json).toHaveResourceWithProperties(SecurityGroup, {
      name: "Lab-SSH",
      description: "Lab-SSH",
      vpc_id: "vpc-1",
    });
  });

  test("SSH only from the region's EC2 Instance Connect prefix list, never from 0.0.0.0/0", () => {
    expect(json).toHaveDataSourceWithProperties(DataAwsEc2ManagedPrefixList, {
      name: expect.stringMatching(/^com\.amazonaws\.\$\{data\.aws_region\..*\.region\}\.ec2-instance-connect$/),
    });
    const rules = Object.values(resources(tf, "aws_vpc_security_group_ingress_rule"));
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      security_group_id: ref(tf, "aws_security_group", "id"),
      ip_protocol: "tcp",
      from_port: 22,
      to_port: 22,
      description: "SSH from EC2 Instance Connect",
      prefix_list_id: expect.stringMatching(/^\$\{data\.aws_ec2_managed_prefix_list\..*\.id\}$/),
    });
    expect(rules[0]).not.toHaveProperty("cidr_ipv4");
  });

  test("egress: only what the lab uses, ICMP echo requests for the ping and HTTPS, described", () => {
    const egress = Object.values(resources(tf, "aws_vpc_security_group_egress_rule")).map((r) => ({
      protocol: r.ip_protocol,
      from: r.from_port,
      to: r.to_port,
      cidr: r.cidr_ipv4,
      described: typeof r.description === "string" && r.description.length > 0,
    }));
    expect(egress.sort((a, b) => String(a.protocol).localeCompare(String(b.protocol)))).toEqual([
      { protocol: "icmp", from: 8, to: 0, cidr: "0.0.0.0/0", described: true }, // echo request (type 8, code 0)
      { protocol: "tcp", from: 443, to: 443, cidr: "0.0.0.0/0", described: true },
    ]);
  });

  test("no warning by default", () => {
    const app = Testing.app();
    const group = new SshSecurityGroup(new TerraformStack(app, "s"), "ssh", { vpcId: "v" });
    expect(group.node.metadata.filter((m) => m.type === "@cdktf/warn")).toEqual([]);
  });
});

test('egress "all": the walkthrough\'s allow-all rule instead', () => {
  const tf = parse(synthConstruct((scope) => new SshSecurityGroup(scope, "ssh", { vpcId: "v", egress: "all" })));
  expect(Object.values(resources(tf, "aws_vpc_security_group_egress_rule"))).toEqual([
    expect.objectContaining({ ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0", description: expect.any(String) }),
  ]);
});

test("listed CIDRs each get a described rule whose id comes from the CIDR", () => {
  const { tf, rules } = ingress({ sshCidrs: ["203.0.113.7/32", "198.51.100.0/24"] });
  const described = rules.map((r) => [r.cidr_ipv4 ?? "prefix list", r.description]);
  expect(described.sort()).toEqual([
    ["198.51.100.0/24", "SSH from 198.51.100.0/24"],
    ["203.0.113.7/32", "SSH from 203.0.113.7/32"],
    ["prefix list", "SSH from EC2 Instance Connect"],
  ]);
  expect(
    Object.keys(resources(tf, "aws_vpc_security_group_ingress_rule")).some((id) =>
      id.includes("ssh-from-203-0-113-7-32"),
    ),
  ).toBe(true);
});

test("Instance Connect can be turned off", () => {
  const { tf, rules } = ingress({ allowInstanceConnect: false, sshCidrs: ["203.0.113.7/32"] });
  expect(rules).toHaveLength(1);
  expect(tf.data?.aws_ec2_managed_prefix_list).toBeUndefined();
});

test("openToWorld adds the walkthrough's 0.0.0.0/0 rule and warns", () => {
  const { rules } = ingress({ openToWorld: true });
  expect(rules.map((r) => r.cidr_ipv4)).toContain("0.0.0.0/0");
  const app = Testing.app();
  const group = new SshSecurityGroup(new TerraformStack(app, "s"), "ssh", { vpcId: "v", openToWorld: true });
  const warnings = group.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
  expect(warnings).toEqual([expect.stringMatching(/open to 0\.0\.0\.0\/0/)]);
});
