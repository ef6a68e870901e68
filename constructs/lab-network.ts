import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NetworkAcl } from "@cdktf/provider-aws/lib/network-acl";
import { NetworkAclRule } from "@cdktf/provider-aws/lib/network-acl-rule";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { BASE_NAMES } from "../config/names";
import { DEFAULTS } from "./options";

export interface LabNetworkProps {
  /** @default - the walkthrough's name, "Lab-VPC-Flow-Logs" */
  readonly vpcName?: string;
  /** @default "10.0.0.0/24" (the walkthrough's block) */
  readonly vpcCidr?: string;
  /** @default - the walkthrough's name, "Lab-VPC-Flow-Log-Subnet" */
  readonly subnetName?: string;
  /** @default "10.0.0.0/26" (the walkthrough's block) */
  readonly subnetCidr?: string;
  readonly availabilityZone: string;
  /** @default - the walkthrough's name, "Lab-VPC-Flow-Log-IG" */
  readonly internetGatewayName?: string;
  /** @default "Lab-VPC-Flow-Log-Routes" */
  readonly routeTableName?: string;
  /** @default "Lab-VPC-Flow-Log-NACL" */
  readonly networkAclName?: string;
}

/** Rule number of the allow-all rules, as in a VPC's default network ACL: lower numbers go first. */
export const ALLOW_ALL_RULE_NUMBER = 100;

/**
 * The walkthrough's network: a VPC (no IPv6, default tenancy) with one public subnet, an internet
 * gateway, and a default route to it. Where the walkthrough edits the VPC's main route table and
 * default network ACL, the subnet gets a route table and a network ACL of its own (the ACL starts with
 * the default ACL's allow-all rules 100): resources this stack creates and tags, so that the CI apply
 * role can be limited to the project's tagged resources (docs/ci.md, "Why the lab's own route table").
 */
export class LabNetwork extends Construct {
  readonly vpc: Vpc;
  readonly subnet: Subnet;
  readonly internetGateway: InternetGateway;
  readonly routeTable: RouteTable;
  readonly defaultRoute: Route;
  readonly networkAcl: NetworkAcl;

  constructor(scope: Construct, id: string, props: LabNetworkProps) {
    super(scope, id);

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.vpcCidr ?? DEFAULTS.vpcCidr,
      instanceTenancy: "default",
      assignGeneratedIpv6CidrBlock: false,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.vpcName ?? BASE_NAMES.vpc },
    });

    this.subnet = new Subnet(this, "subnet", {
      vpcId: this.vpc.id,
      cidrBlock: props.subnetCidr ?? DEFAULTS.subnetCidr,
      availabilityZone: props.availabilityZone,
      // Public through its route to the gateway; only the lab instance asks for a public IP.
      mapPublicIpOnLaunch: false,
      tags: { Name: props.subnetName ?? BASE_NAMES.subnet },
    });

    this.internetGateway = new InternetGateway(this, "internet-gateway", {
      vpcId: this.vpc.id,
      tags: { Name: props.internetGatewayName ?? BASE_NAMES.internetGateway },
    });

    this.routeTable = new RouteTable(this, "route-table", {
      vpcId: this.vpc.id,
      tags: { Name: props.routeTableName ?? BASE_NAMES.routeTable },
    });
    this.defaultRoute = new Route(this, "default-route", {
      routeTableId: this.routeTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: this.internetGateway.id,
    });
    new RouteTableAssociation(this, "route-table-association", {
      routeTableId: this.routeTable.id,
      subnetId: this.subnet.id,
    });

    // No inline rules: the rules are resources of their own, so IcmpEgressDenyRule can add one.
    this.networkAcl = new NetworkAcl(this, "network-acl", {
      vpcId: this.vpc.id,
      subnetIds: [this.subnet.id],
      tags: { Name: props.networkAclName ?? BASE_NAMES.networkAcl },
    });
    for (const egress of [false, true]) {
      new NetworkAclRule(this, egress ? "allow-all-out" : "allow-all-in", {
        networkAclId: this.networkAcl.id,
        ruleNumber: ALLOW_ALL_RULE_NUMBER,
        egress,
        protocol: "-1",
        ruleAction: "allow",
        cidrBlock: "0.0.0.0/0",
      });
    }
  }
}
