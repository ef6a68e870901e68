import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";

export interface LabNetworkProps {
  /** @default "Lab-VPC-Flow-Logs" */
  readonly vpcName?: string;
  /** @default "10.0.0.0/24" */
  readonly vpcCidr?: string;
  /** @default "Lab-VPC-Flow-Log-Subnet" */
  readonly subnetName?: string;
  /** @default "10.0.0.0/26" */
  readonly subnetCidr?: string;
  readonly availabilityZone: string;
  /** @default "Lab-VPC-Flow-Log-IG" */
  readonly internetGatewayName?: string;
}

/**
 * The walkthrough's network: a VPC (no IPv6, default tenancy) with one public subnet, an internet
 * gateway, and a default route to it in the VPC's main route table. The default security group is
 * taken over with no rules, so nothing can use it by accident.
 */
export class LabNetwork extends Construct {
  readonly vpc: Vpc;
  readonly subnet: Subnet;
  readonly internetGateway: InternetGateway;
  readonly defaultRoute: Route;

  constructor(scope: Construct, id: string, props: LabNetworkProps) {
    super(scope, id);
    const vpcName = props.vpcName ?? "Lab-VPC-Flow-Logs";

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.vpcCidr ?? "10.0.0.0/24",
      instanceTenancy: "default",
      assignGeneratedIpv6CidrBlock: false,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: vpcName },
    });

    this.subnet = new Subnet(this, "subnet", {
      vpcId: this.vpc.id,
      cidrBlock: props.subnetCidr ?? "10.0.0.0/26",
      availabilityZone: props.availabilityZone,
      // Public through its route to the gateway; only the lab instance asks for a public IP.
      mapPublicIpOnLaunch: false,
      tags: { Name: props.subnetName ?? "Lab-VPC-Flow-Log-Subnet" },
    });

    this.internetGateway = new InternetGateway(this, "internet-gateway", {
      vpcId: this.vpc.id,
      tags: { Name: props.internetGatewayName ?? "Lab-VPC-Flow-Log-IG" },
    });

    // The walkthrough edits the main route table; the subnet has no explicit association, so it uses it.
    this.defaultRoute = new Route(this, "default-route", {
      routeTableId: this.vpc.mainRouteTableId,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: this.internetGateway.id,
    });

    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${vpcName}-default-deny-all` },
    });
  }
}
