import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { LabNetwork } from "../../constructs/lab-network";
import { parse, ref, synthConstruct } from "../helpers";

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

  test("default route to the gateway in the VPC's main route table", () => {
    expect(json).toHaveResourceWithProperties(Route, {
      route_table_id: ref(tf, "aws_vpc", "main_route_table_id"),
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: ref(tf, "aws_internet_gateway", "id"),
    });
  });

  test("the default security group of the VPC has no rules", () => {
    expect(json).toHaveResourceWithProperties(DefaultSecurityGroup, {
      vpc_id: ref(tf, "aws_vpc", "id"),
      ingress: [],
      egress: [],
    });
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
      }),
  );
  expect(json).toHaveResourceWithProperties(Vpc, { cidr_block: "172.16.0.0/16", tags: { Name: "v" } });
  expect(json).toHaveResourceWithProperties(Subnet, {
    cidr_block: "172.16.1.0/24",
    availability_zone: "eu-west-1c",
    tags: { Name: "s" },
  });
  expect(json).toHaveResourceWithProperties(InternetGateway, { tags: { Name: "g" } });
});
