import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { labArns, stateKey, type LabNames } from "../config/names";
import { AwsContext } from "./aws-context";
import { boundaryStatements, readStatements, writeStatements, type CiScope } from "./ci-permissions";
import { policyDocument, trustPolicy } from "./policy-documents";
import { PROJECT_TAG } from "./project-tag";

const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** The workflows that assume the roles (.github/workflows/); the trust policies name them. */
export const CI_WORKFLOWS = { plan: "plan.yml", apply: "apply.yml", destroy: "destroy.yml" } as const;

export interface GithubCiRolesProps {
  /** `owner/name` of the GitHub repository whose workflows may assume the roles. */
  readonly repository: string;
  /**
   * The repository's numeric id. Given, the trust policies expect the customized OIDC subject
   * `repository_id:<id>:<context>:job_workflow_ref:<workflow>@<ref>` (docs/ci.md gives the `gh api` call
   * that sets it): a renamed or re-created repository of the same name, or another workflow of this one,
   * cannot assume the roles. @default the default subject `repo:<owner/name>:<context>`
   */
  readonly repositoryId?: string;
  /** The protected GitHub environment that apply and destroy jobs run in. */
  readonly environment: string;
  /** Bucket holding the Terraform state. */
  readonly stateBucketName: string;
  /** Reuse the account's GitHub OIDC provider (there can be only one per URL). @default a new one */
  readonly existingOidcProviderArn?: string;
  /** The names of the deployment the roles serve (the naming catalogue). */
  readonly names: LabNames;
  /** The lab's region (the roles' ARNs are there, whatever the region of this stack). */
  readonly labRegion: string;
  /** Appended to the state keys. */
  readonly nameSuffix: string;
}

/**
 * GitHub Actions access without long-lived keys: the GitHub OIDC identity provider, two roles and the
 * permissions boundary of the roles CI creates (constructs/ci-permissions.ts says what each may do).
 * - plan: configuration reads and the state; trusted for pull requests and for the plan job on main.
 * - apply: the same reads, the lab's writes and its state key; trusted only for jobs in the protected
 *   environment. It cannot change these roles, their policies, the boundary or this stack's state.
 */
export class GithubCiRoles extends Construct {
  readonly oidcProviderArn: string;
  readonly planRole: IamRole;
  readonly applyRole: IamRole;
  readonly boundary: IamPolicy;

  constructor(scope: Construct, id: string, props: GithubCiRolesProps) {
    super(scope, id);
    const aws = AwsContext.of(this);
    const { names } = props;
    const where = { partition: aws.partition, region: props.labRegion, accountId: aws.accountId };
    const ci: CiScope = {
      ...where,
      names,
      arns: labArns(names, where),
      projectTag: PROJECT_TAG,
      stateBucketArn: `arn:${aws.partition}:s3:::${props.stateBucketName}`,
      labStateKey: stateKey("lab", props.nameSuffix),
      stateBackendStateKey: stateKey("state-backend", props.nameSuffix),
    };

    this.oidcProviderArn =
      props.existingOidcProviderArn ??
      new IamOpenidConnectProvider(this, "github-oidc", {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: ["sts.amazonaws.com"],
      }).arn;

    const subject = (context: string, workflow: string, ref: string) =>
      props.repositoryId
        ? `repository_id:${props.repositoryId}:${context}:job_workflow_ref:${props.repository}/.github/workflows/${workflow}@${ref}`
        : `repo:${props.repository}:${context}`;
    const trustedFor = (subjects: string[]) =>
      trustPolicy(
        { Federated: this.oidcProviderArn },
        {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com" },
          StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: [...new Set(subjects)] },
        },
        "sts:AssumeRoleWithWebIdentity",
      );
    const main = "refs/heads/main";

    this.boundary = new IamPolicy(this, "boundary", {
      name: names.ciBoundary,
      description: "Permissions boundary of every role the CI apply role creates (at most the lab roles' needs)",
      policy: policyDocument(boundaryStatements(ci)),
    });
    const read = new IamPolicy(this, "read-policy", {
      name: names.ciReadPolicy,
      description: "Configuration reads of the lab's stacks and their state (terraform plan)",
      policy: policyDocument(readStatements(ci)),
    });
    const writes = writeStatements(ci);
    const writePolicies = (
      [
        ["network", names.ciWriteNetworkPolicy, "the lab's EC2 resources (by project tag)"],
        ["identity", names.ciWriteIdentityPolicy, "the lab's IAM roles (within the boundary) and KMS key"],
        ["services", names.ciWriteServicesPolicy, "the lab's bucket, log group, alarm, topic, Athena, Glue and state"],
      ] as const
    ).map(([group, name, what]) => ({
      group,
      policy: new IamPolicy(this, `write-${group}-policy`, {
        name,
        description: `Create, change and delete ${what}`,
        policy: policyDocument(writes[group]),
      }),
    }));

    this.planRole = new IamRole(this, "plan-role", {
      name: names.ciPlanRole,
      description: `terraform plan of ${props.repository} (pull requests, and the plan job on main)`,
      assumeRolePolicy: trustedFor([
        subject("pull_request", CI_WORKFLOWS.plan, "*"),
        subject(`ref:${main}`, CI_WORKFLOWS.apply, main),
      ]),
      maxSessionDuration: 3600,
    });
    this.attach("plan-read", this.planRole, read.arn);

    this.applyRole = new IamRole(this, "apply-role", {
      name: names.ciApplyRole,
      description: `apply and destroy of the lab from the ${props.environment} environment of ${props.repository}`,
      assumeRolePolicy: trustedFor([
        subject(`environment:${props.environment}`, CI_WORKFLOWS.apply, main),
        subject(`environment:${props.environment}`, CI_WORKFLOWS.destroy, main),
      ]),
      maxSessionDuration: 3600,
    });
    this.attach("apply-read", this.applyRole, read.arn);
    for (const { group, policy } of writePolicies) this.attach(`apply-write-${group}`, this.applyRole, policy.arn);
  }

  private attach(id: string, role: IamRole, policyArn: string): void {
    new IamRolePolicyAttachment(this, id, { role: role.name, policyArn });
  }
}
