/** A plan right after apply must change nothing, but for what moto is known to read back differently. */
import { spawnSync } from "node:child_process";

/**
 * Attributes that moto does not read back as AWS would, so that a plan right after apply shows them as
 * changes. Any other change fails the run.
 */
export const EMULATOR_DRIFT = [
  { type: "aws_instance", attribute: "vpc_security_group_ids", why: "moto reports the instance's groups differently" },
  {
    type: "aws_s3_bucket",
    attribute: "tags_all",
    why: "moto's S3 Control tag listing does not return the bucket's tags",
  },
  {
    type: "aws_vpc_security_group_ingress_rule",
    attribute: "description",
    why: "moto drops the description of a prefix-list rule",
  },
] as const;

export interface PlanJson {
  resource_changes?: {
    address: string;
    type: string;
    change: {
      actions: string[];
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      after_unknown?: Record<string, unknown>;
    };
  }[];
}

export interface Drift {
  readonly address: string;
  readonly type: string;
  readonly attribute: string;
}

/** `terraform show -json` of a saved plan. */
export function planJson(dir: string, planFile: string, env: NodeJS.ProcessEnv): PlanJson {
  const show = spawnSync("terraform", ["show", "-json", planFile], {
    cwd: dir,
    env,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (show.status !== 0) throw new Error(`terraform show -json ${planFile} failed: ${show.stderr}`);
  return JSON.parse(show.stdout) as PlanJson;
}

/** The top-level attributes that a plan would change, per resource (computed ids and arns set aside). */
export function planDrift(plan: PlanJson): Drift[] {
  const drift: Drift[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.change.actions.every((a) => a === "no-op" || a === "read")) continue;
    const before = rc.change.before ?? {};
    const after = rc.change.after ?? {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (key === "id" || key === "arn" || rc.change.after_unknown?.[key] === true) continue;
      if (canonical(before[key]) !== canonical(after[key]))
        drift.push({ address: rc.address, type: rc.type, attribute: key });
    }
  }
  return drift;
}

/** Values compared as Terraform shows them: null, "", [] and {} are all "not set". */
export function canonical(value: unknown): string {
  const empty = value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
  const emptyObject =
    typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
  return empty || emptyObject ? "unset" : JSON.stringify(value);
}

/** Throws on any change but the listed drift; says which known drift was seen. */
export function assertNoUnexpectedDrift(plan: PlanJson): string {
  const drift = planDrift(plan);
  const unexpected = drift.filter((d) => !EMULATOR_DRIFT.some((k) => d.type === k.type && d.attribute === k.attribute));
  if (unexpected.length > 0)
    throw new Error(`unexpected changes: ${unexpected.map((d) => `${d.address}.${d.attribute}`).join(", ")}`);
  const known = [...new Set(drift.map((d) => `${d.type}.${d.attribute}`))];
  return drift.length === 0 ? "No changes." : `only the listed drift: ${known.join(", ")}`;
}
