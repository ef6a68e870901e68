import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NetworkAcl } from "@cdktf/provider-aws/lib/network-acl";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { LabNetwork } from "../../constructs/lab-network";
import { parse, ref, resources, synthConstruct } from "../helpers";

describe("LabNetwork with defaults", () => {
  const json = synthConstruct((scope) => new LabNetwork(scope, "network", { availabilityZone: "us-east-1a" }));
  const tf = parse(json);

  test("VPC Lab-VPC-Flow-Logs, 10.0.0.0/24, no IPv6, default tenancy", () => {
    expect(json).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.0.0.0/24",
      assign_generated_ipv6_cidr_block: false,
      instance_tenancy: "default",
      tags: { Name: "Lab-VPC-Flow-Logs" },
    });
  });

  test("public subnet Lab-VPC-Flow-Log-Subnet, 10.0.0.0/26, in the given AZ, in the VPC", () => {
    // Public through the main route table's route to the gateway; no public IPs handed out by default.
    expect(json).toHaveResourceWithProperties(Subnet, {
      cidr_block: "10.0.0.0/26",
      availability_zone: "us-east-1a",
      map_public_ip_on_launch: false,
      vpc_id: ref(tf, "aws_vpc", "id"),
      tags: { Name: "Lab-VPC-Flow-Log-Subnet" },
    });
  });

  test("internet gateway Lab-VPC-Flow-Log-IG attached to the VPC", () => {
    expect(json).toHaveResourceWithProperties(InternetGateway, {
      vpc_id: ref(tf, "aws_vpc", "id"),
      tags: { Name: "Lab-VPC-Flow-Log-IG" },
    });
  });

  test("the subnet's own route table Lab-VPC-Flow-Log-Routes, with the default route to the gateway", () => {
    expect(json).toHaveResourceWithProperties(RouteTable, {
      vpc_id: ref(tf, "aws_vpc", "id"),
      tags: { Name: "Lab-VPC-Flow-Log-Routes" },
    });
    expect(json).toHaveResourceWithProperties(Route, {
      route_table_id: ref(tf, "aws_route_table", "id"),
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: ref(tf, "aws_internet_gateway", "id"),
    });
    expect(json).toHaveResourceWithProperties(RouteTableAssociation, {
      route_table_id: ref(tf, "aws_route_table", "id"),
      subnet_id: ref(tf, "aws_subnet", "id"),
    });
  });

  test("the VPC's main route table, default network ACL and default security group are left alone", () => {
    // Resources AWS creates with the VPC carry no tag: the CI apply role must never need to change them.
    expect(json).not.toContain("main_route_table_id");
    expect(json).not.toContain("default_network_acl_id");
    for (const type of ["aws_default_security_group", "aws_default_network_acl", "aws_default_route_table"])
      expect(Object.keys(resources(tf, type))).toEqual([]);
  });

  test("the subnet's own network ACL Lab-VPC-Flow-Log-NACL, with the default ACL's allow-all rules 100", () => {
    expect(json).toHaveResourceWithProperties(NetworkAcl, {
      vpc_id: ref(tf, "aws_vpc", "id"),
      subnet_ids: [ref(tf, "aws_subnet", "id")],
      tags: { Name: "Lab-VPC-Flow-Log-NACL" },
    });
    // No inline rules: a rule resource of its own (the ICMP deny) could not be added beside them.
    expect(Object.values(resources(tf, "aws_network_acl"))[0]).not.toHaveProperty("ingress");
    expect(Object.values(resources(tf, "aws_network_acl"))[0]).not.toHaveProperty("egress");
    const rules = Object.values(resources(tf, "aws_network_acl_rule"));
    expect(rules).toEqual(
      [false, true].map((egress) => ({
        network_acl_id: ref(tf, "aws_network_acl", "id"),
        rule_number: 100,
        egress,
        protocol: "-1",
        rule_action: "allow",
        cidr_block: "0.0.0.0/0",
      })),
    );
  });
});

test("LabNetwork overrides", () => {
  const json = synthConstruct(
    (scope) =>
      new LabNetwork(scope, "network", {
        vpcName: "v",
        vpcCidr: "172.16.0.0/16",
        subnetName: "s",
        subnetCidr: "172.16.1.0/24",
        availabilityZone: "eu-west-1c",
        internetGatewayName: "g",
        routeTableName: "r",
        networkAclName: "n",
      }),
  );
  expect(json).toHaveResourceWithProperties(RouteTable, { tags: { Name: "r" } });
  expect(json).toHaveResourceWithProperties(NetworkAcl, { tags: { Name: "n" } });
  expect(json).toHaveResourceWithProperties(Vpc, { cidr_block: "172.16.0.0/16", tags: { Name: "v" } });
  expect(json).toHaveResourceWithProperties(Subnet, {
    cidr_block: "172.16.1.0/24",
    availability_zone: "eu-west-1c",
    tags: { Name: "s" },
  });
  expect(json).toHaveResourceWithProperties(InternetGateway, { tags: { Name: "g" } });
});
