import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { LabConfig } from "../config/lab-config";
import { AwsContext } from "../constructs/aws-context";
import { GithubCiRoles } from "../constructs/github-ci-roles";
import { StateBucket } from "../constructs/state-bucket";
import { labAwsProvider } from "./aws-provider";
import { labNames } from "../config/names";
import { configureBackend } from "./remote-state";

/**
 * Bootstrap: the S3 bucket that holds the lab stack's Terraform state. It starts on local state, since
 * the bucket cannot hold the state of its own creation; LAB_STATE_BACKEND_IN_BUCKET moves it in later.
 */
export class StateBackendStack extends TerraformStack {
  readonly stateBucket: StateBucket;
  readonly ciRoles?: GithubCiRoles;

  constructor(scope: Construct, id: string, config: LabConfig) {
    super(scope, id);
    // Bootstrap on local state; once the bucket exists its state can move in (LAB_STATE_BACKEND_IN_BUCKET).
    configureBackend(this, id, config, config.stateBackendInBucket);
    labAwsProvider(this, { region: config.stateRegion, endpoint: config.awsEndpoint, nameSuffix: config.nameSuffix });

    this.stateBucket = new StateBucket(this, "state-bucket", {
      bucketName: config.stateBucket,
      bucketPrefix: labNames(config, { region: config.region, accountId: "" }).stateBucketPrefix,
      // moto ignores policy conditions: its TLS-only deny would refuse every request (README, e2e gaps).
      enforceTls: config.awsEndpoint === undefined,
      forceDestroy: config.stateBucketForceDestroy,
    });

    new TerraformOutput(this, "state_bucket", {
      value: this.stateBucket.bucket.bucket,
      description: "Set LAB_STATE_BUCKET to this name to keep the lab stack's state here",
    });

    if (config.githubRepository) {
      const aws = AwsContext.of(this);
      this.ciRoles = new GithubCiRoles(this, "github-ci", {
        repository: config.githubRepository,
        repositoryId: config.githubRepositoryId,
        environment: config.githubEnvironment,
        stateBucketName: this.stateBucket.bucket.bucket,
        existingOidcProviderArn: config.githubOidcProviderArn,
        // The lab's names and region: the roles act on the lab, wherever this stack lives.
        names: labNames(config, { region: config.region, accountId: aws.accountId }),
        labRegion: config.region,
        nameSuffix: config.nameSuffix,
      });
      new TerraformOutput(this, "ci_plan_role_arn", {
        value: this.ciRoles.planRole.arn,
        description: "Repository variable AWS_PLAN_ROLE_ARN (plan.yml)",
      });
      new TerraformOutput(this, "ci_apply_role_arn", {
        value: this.ciRoles.applyRole.arn,
        description: "Repository variable AWS_APPLY_ROLE_ARN (apply.yml, destroy.yml)",
      });
    }
  }
}
