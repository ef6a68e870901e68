import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";

/**
 * Account id, region and partition of the stack's AWS provider, as Terraform references.
 * One set of data sources per stack, shared by every construct that asks (like CDK's Stack.of(this).account).
 */
export class AwsContext extends Construct {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly dnsSuffix: string;

  static of(scope: Construct): AwsContext {
    const stack = TerraformStack.of(scope);
    const id = "aws-context";
    return (stack.node.tryFindChild(id) as AwsContext | undefined) ?? new AwsContext(stack, id);
  }

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, "caller").accountId;
    this.region = new DataAwsRegion(this, "region").region;
    const partition = new DataAwsPartition(this, "partition");
    this.partition = partition.partition;
    this.dnsSuffix = partition.dnsSuffix;
  }
}
