/**
 * IAM's decision on a request by a CI role, from @cloud-copilot/iam-simulate (a dev-only dependency):
 * the role's attached policies, the resource policy where one governs the resource (a key policy, a
 * bucket policy), TLS in the context as CI always uses it.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { Context } from "./iam-requests";
import type { CiPolicies } from "./role-policies";
import type { CiRole } from "./role-requests";

export interface Decision {
  readonly allowed: boolean;
  /** IAM's word (Allowed, ImplicitlyDenied, ExplicitlyDenied) or the simulator's error. */
  readonly result: string;
}

export interface SimulatedRequest {
  readonly role: CiRole;
  readonly action: string;
  readonly resource: string;
  readonly context: Context;
}

export async function decide(policies: CiPolicies, accountId: string, request: SimulatedRequest): Promise<Decision> {
  const role = policies.roles[request.role];
  const resourcePolicy =
    policies.resourcePolicies.find(
      (p) => request.resource === p.arnPrefix || request.resource.startsWith(`${p.arnPrefix}/`),
    )?.policy ?? (/^arn:[^:]+:kms:[^:]*:[^:]*:key\//.test(request.resource) ? policies.otherKeyPolicy : undefined);
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${accountId}:role/${role.name}`,
        action: request.action,
        resource: {
          resource: forSimulator(request.resource, accountId),
          accountId: resourceAccount(request.resource, accountId),
        },
        contextVariables: { "aws:SecureTransport": "true", ...request.context },
      },
      identityPolicies: role.policies.map((p) => ({ name: p.name, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
    },
    {},
  );
  if (result.resultType === "error") return { allowed: false, result: `simulator error: ${result.errors.message}` };
  return { allowed: result.overallResult === "Allowed", result: result.overallResult };
}

/**
 * Public SSM parameters have no account in their ARN (`arn:aws:ssm:<region>::parameter/aws/service/...`);
 * the simulator checks ARNs against the catalogue's format, which has one. The policies name these
 * parameters with any account (`:*:`), so filling in the deployment's account decides the same.
 */
function forSimulator(arn: string, accountId: string): string {
  const parts = arn.split(":");
  if (parts[2] === "ssm" && parts[4] === "") parts[4] = accountId;
  return parts.join(":");
}

/** The account that owns a resource: AWS ("aws", an empty account) or the deployment's. */
function resourceAccount(arn: string, accountId: string): string {
  const account = arn.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : accountId;
}
