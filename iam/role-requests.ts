/** The IAM requests each CI role makes, from a recorded run: which role made a call follows from its phase. */
import { Inventory, iamRequestsOf, type Account, type IamRequest } from "./iam-requests";
import type { RecordedCall } from "./recorded-calls";

export type CiRole = "plan" | "apply";

/** The role that stands for a phase of the emulator run (e2e/run.ts sets `<mode>:<phase>`). */
export function roleOfPhase(phase: string): CiRole | undefined {
  if (phase.endsWith(":plan-role")) return "plan";
  if (phase.endsWith(":apply-role")) return "apply";
  return undefined;
}

export interface RoleRequest extends IamRequest {
  readonly role: CiRole;
}

/** Every IAM request the CI roles' calls stand for; calls that cannot be mapped are reported, not dropped. */
export async function roleRequestsOf(
  calls: readonly RecordedCall[],
  account: Account,
): Promise<{ requests: RoleRequest[]; unmapped: string[] }> {
  const inventory = Inventory.of(calls, account.projectTag);
  const requests: RoleRequest[] = [];
  const unmapped = new Set<string>();
  for (const call of calls) {
    const role = roleOfPhase(call.phase);
    // Calls moto could not answer (5xx) never reach AWS's authorization the same way: reported elsewhere.
    if (!role || (call.status ?? 200) >= 500) continue;
    try {
      for (const request of await iamRequestsOf(call, inventory, account)) requests.push({ ...request, role });
    } catch (error) {
      unmapped.add(error instanceof Error ? error.message : String(error));
    }
  }
  return { requests, unmapped: [...unmapped].sort() };
}
