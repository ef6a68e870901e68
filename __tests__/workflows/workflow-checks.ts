/**
 * Checks on the GitHub Actions workflows in .github/workflows, as pure functions that return a list of problems
 * (empty when the workflow is fine), so that tests can run them on the real files and on broken copies.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const ROOT = path.resolve(__dirname, "..", "..");
export const WORKFLOW_DIR = path.join(ROOT, ".github", "workflows");

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string | boolean;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  "working-directory"?: string;
  "continue-on-error"?: boolean | string;
}

export interface Job {
  name?: string;
  uses?: string;
  needs?: string | string[];
  if?: string | boolean;
  environment?: string | { name: string; url?: string };
  permissions?: string | Record<string, string>;
  strategy?: { matrix?: Record<string, unknown>; "fail-fast"?: boolean };
  env?: Record<string, unknown>;
  steps?: Step[];
}

export interface Workflow {
  name?: string;
  on?: unknown;
  permissions?: string | Record<string, string>;
  concurrency?: { group?: string; "cancel-in-progress"?: boolean | string } | string;
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}

export interface LoadedWorkflow {
  readonly file: string;
  readonly workflow: Workflow;
  /** The file as written (the YAML parser drops comments). */
  readonly text: string;
}

/** What the workflows may refer to: npm scripts, installed bins and packages, the app's stacks, repository files. */
export interface RepoFacts {
  readonly scripts: ReadonlySet<string>;
  readonly bins: ReadonlySet<string>;
  readonly packages: ReadonlySet<string>;
  readonly stacks: readonly string[];
  readonly exists: (relativePath: string) => boolean;
}

export function workflowFiles(): string[] {
  return fs
    .readdirSync(WORKFLOW_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

export function loadWorkflow(file: string): LoadedWorkflow {
  const text = fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
  return { file, workflow: parse(text) as Workflow, text };
}

export function repoFacts(stacks: readonly string[]): RepoFacts {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const binDir = path.join(ROOT, "node_modules", ".bin");
  return {
    scripts: new Set(Object.keys(pkg.scripts ?? {})),
    bins: new Set(fs.existsSync(binDir) ? fs.readdirSync(binDir) : []),
    packages: new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]),
    stacks,
    exists: (relativePath) => fs.existsSync(path.join(ROOT, relativePath)),
  };
}

/** Jobs with their id. */
export function jobsOf(workflow: Workflow): [string, Job][] {
  return Object.entries(workflow.jobs ?? {});
}

export function stepLabel(jobId: string, step: Step, index: number): string {
  return `${jobId} step ${index + 1} (${step.name ?? step.uses ?? step.run?.split("\n")[0] ?? "?"})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Commands in run: blocks (the shell's syntax is actionlint's and shellcheck's job: scripts/validate-workflows.sh)

export interface Commands {
  readonly npmScripts: string[];
  readonly npxBins: string[];
}

/** `npm run <x>`, `npm test` and `npx <bin>` named in a run: block. */
export function commandsIn(run: string): Commands {
  const text = run.replace(/(^|\s)#.*$/gm, "");
  return {
    npmScripts: [
      ...[...text.matchAll(/\bnpm\s+(?:run|run-script)\s+(?:--?[\w-]+\s+)*([\w:.-]+)/g)].map((m) => m[1]),
      ...[...text.matchAll(/\bnpm\s+(?:test|t)\b/g)].map(() => "test"),
    ],
    npxBins: [...text.matchAll(/\bnpx\s+(?:--?[\w-]+\s+)*([@\w/.-]+)/g)].map((m) => m[1]),
  };
}

export function checkCommands({ file, workflow }: LoadedWorkflow, facts: RepoFacts): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of jobsOf(workflow)) {
    (job.steps ?? []).forEach((step, index) => {
      if (typeof step.run !== "string") return;
      const where = `${file}: ${stepLabel(jobId, step, index)}`;
      const { npmScripts, npxBins } = commandsIn(step.run);
      for (const script of npmScripts) {
        if (!facts.scripts.has(script)) problems.push(`${where}: npm script "${script}" is not in package.json`);
      }
      for (const bin of npxBins) {
        const pkgName = bin.replace(/@[^@/]+$/, "");
        if (!facts.bins.has(bin) && !facts.packages.has(pkgName)) {
          problems.push(`${where}: npx ${bin} is neither an installed bin (node_modules/.bin) nor a package`);
        }
      }
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Paths

/** Every string in a value (nested objects and arrays included). */
function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/** The text once per matrix combination of the values it uses (`${{ matrix.x }}`). */
export function expandMatrix(text: string, job: Job): string[] {
  const matrix = job.strategy?.matrix ?? {};
  let results = [text];
  const used = new Set([...text.matchAll(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g)].map((m) => m[1]));
  for (const key of used) {
    const values = matrix[key];
    const list = Array.isArray(values) ? values.map(String) : [`<no matrix value ${key}>`];
    const pattern = new RegExp(`\\$\\{\\{\\s*matrix\\.${key}\\s*\\}\\}`, "g");
    results = results.flatMap((r) => list.map((v) => r.replace(pattern, v)));
  }
  return results;
}

/** Repository paths a workflow refers to (files it must find in the checkout). */
const REPO_PATH =
  /(?<![\w./-])(?:\.\/)?((?:\.github|scripts|config|stacks|constructs|cli|engine|docs|__tests__)\/[\w./-]*[\w])/g;
/** Synthesized stack folders: cdktf.out/stacks/<stack>. */
const STACK_DIR = /cdktf\.out\/stacks\/([^/\s"'`)]+)/g;

export function checkPaths({ file, workflow }: LoadedWorkflow, facts: RepoFacts): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of jobsOf(workflow)) {
    const texts = [
      ...stringsIn(job.env),
      ...(job.steps ?? []).flatMap((step) => [
        ...stringsIn(step.run),
        ...stringsIn(step.with),
        ...stringsIn(step.env),
        ...stringsIn(step["working-directory"]),
      ]),
    ];
    for (const text of texts.flatMap((t) => expandMatrix(t, job))) {
      for (const match of text.matchAll(STACK_DIR)) {
        if (!facts.stacks.includes(match[1])) {
          problems.push(`${file}: job ${jobId}: ${match[0]} is not a stack of the app (${facts.stacks.join(", ")})`);
        }
      }
      for (const match of text.matchAll(REPO_PATH)) {
        if (!facts.exists(match[1])) problems.push(`${file}: job ${jobId}: path ${match[1]} does not exist`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Actions, permissions, Terraform, AWS roles, settings

const PINNED_ACTION = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;

/** Actions pinned by full commit SHA, each with its version in a comment (`uses: a/b@<sha> # v1.2.3`). */
export function checkActionsPinned({ file, workflow, text }: LoadedWorkflow, facts: RepoFacts): string[] {
  const problems: string[] = [];
  const check = (uses: string, where: string) => {
    if (uses.startsWith("./")) {
      if (!facts.exists(uses.slice(2))) problems.push(`${where}: local action ${uses} does not exist`);
    } else if (uses.startsWith("docker://")) {
      if (!/@sha256:[0-9a-f]{64}$/.test(uses)) problems.push(`${where}: ${uses} is not pinned to a digest`);
    } else if (!PINNED_ACTION.test(uses)) {
      problems.push(`${where}: ${uses} is not pinned to a full commit SHA`);
    } else if (
      !new RegExp(`uses: ${uses.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} # v\\d+\\.\\d+\\.\\d+\\s*$`, "m").test(text)
    ) {
      problems.push(`${where}: ${uses} has no "# vX.Y.Z" comment naming its version`);
    }
  };
  for (const [jobId, job] of jobsOf(workflow)) {
    if (job.uses) check(job.uses, `${file}: job ${jobId}`);
    (job.steps ?? []).forEach((step, index) => {
      if (step.uses) check(step.uses, `${file}: ${stepLabel(jobId, step, index)}`);
    });
  }
  return problems;
}

export function usesAction(step: Step, action: string): boolean {
  return typeof step.uses === "string" && step.uses.split("@")[0] === action;
}

export function checkPermissions({ file, workflow }: LoadedWorkflow): string[] {
  const problems: string[] = [];
  const top = workflow.permissions;
  if (top === undefined || typeof top !== "object" || Object.keys(top).length > 0) {
    problems.push(`${file}: top-level permissions must be {} (each job asks for what it needs)`);
  }
  for (const [jobId, job] of jobsOf(workflow)) {
    const perms = job.permissions;
    if (perms === undefined || perms === null) {
      problems.push(`${file}: job ${jobId} has no permissions`);
      continue;
    }
    if (typeof perms === "string") {
      problems.push(`${file}: job ${jobId} has permissions "${perms}"; list each permission instead`);
      continue;
    }
    const steps = job.steps ?? [];
    const needsOidc = steps.some((s) => usesAction(s, "aws-actions/configure-aws-credentials"));
    if (needsOidc && perms["id-token"] !== "write") {
      problems.push(`${file}: job ${jobId} assumes an AWS role but lacks id-token: write`);
    }
    if (!needsOidc && perms["id-token"] !== undefined && perms["id-token"] !== "none") {
      problems.push(`${file}: job ${jobId} asks for id-token without using it`);
    }
    const writes = Object.entries(perms).filter(([name, level]) => level === "write" && name !== "id-token");
    const comments = steps.some((s) => usesAction(s, "actions/github-script"));
    const runsPullRequestCode = triggerNames(workflow).some((t) => t === "pull_request" || t === "pull_request_target");
    for (const [name] of writes) {
      if (runsPullRequestCode) problems.push(`${file}: job ${jobId} runs pull-request code with ${name}: write`);
      else if (!(comments && name === "pull-requests")) problems.push(`${file}: job ${jobId} asks for ${name}: write`);
    }
  }
  return problems;
}

export const MIN_TERRAFORM = [1, 10, 0] as const;

function versionAtLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split(".").map(Number);
  for (let i = 0; i < min.length; i++) {
    if (parts[i] !== min[i]) return parts[i] > min[i];
  }
  return true;
}

export function checkTerraform({ file, workflow }: LoadedWorkflow): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of jobsOf(workflow)) {
    const steps = job.steps ?? [];
    let setUp = false;
    steps.forEach((step, index) => {
      const where = `${file}: ${stepLabel(jobId, step, index)}`;
      if (usesAction(step, "hashicorp/setup-terraform")) {
        setUp = true;
        const version = String(step.with?.terraform_version ?? "");
        if (!/^\d+\.\d+\.\d+$/.test(version)) {
          problems.push(`${where}: terraform_version "${version}" is not an exact version`);
        } else if (!versionAtLeast(version, MIN_TERRAFORM)) {
          problems.push(`${where}: Terraform ${version} is older than 1.10 (S3-native locking)`);
        }
        if (String(step.with?.terraform_wrapper) !== "false") {
          problems.push(`${where}: terraform_wrapper must be false (plain terraform show output)`);
        }
      }
      if (typeof step.run === "string" && /(^|[\s;&|({])terraform\s/m.test(step.run) && !setUp) {
        problems.push(`${where}: runs terraform before hashicorp/setup-terraform`);
      }
    });
  }
  return problems;
}

/** The environment jobs that assume the apply role run in: the setting, with the settings table's default. */
export function environmentExpression(defaultEnvironment: string): string {
  return `\${{ vars.LAB_GITHUB_ENVIRONMENT || '${defaultEnvironment}' }}`;
}

/**
 * The roles, where their trust policies admit them (constructs/github-ci-roles.ts): the plan role in jobs
 * without an environment (pull requests, the plan job on main), which plan without a lock; the apply role
 * only in jobs of the protected environment. No static keys.
 */
export function checkAwsRoles({ file, workflow }: LoadedWorkflow, defaultEnvironment: string): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of jobsOf(workflow)) {
    const environment = typeof job.environment === "object" ? job.environment.name : job.environment;
    const steps = job.steps ?? [];
    for (const step of steps) {
      if (!usesAction(step, "aws-actions/configure-aws-credentials")) continue;
      const inputs = step.with ?? {};
      const role = String(inputs["role-to-assume"] ?? "");
      for (const key of ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"]) {
        if (key in inputs) problems.push(`${file}: job ${jobId} passes ${key}; use OIDC (role-to-assume) only`);
      }
      if (/vars\.AWS_PLAN_ROLE_ARN/.test(role)) {
        if (environment !== undefined) problems.push(`${file}: job ${jobId}: the plan role is not for an environment`);
        for (const s of steps)
          if (/terraform plan(?![^\n]*-lock=false)/.test(s.run ?? ""))
            problems.push(`${file}: job ${jobId}: the plan role plans with -lock=false (it cannot write locks)`);
      } else if (/vars\.AWS_APPLY_ROLE_ARN/.test(role)) {
        if (environment !== environmentExpression(defaultEnvironment))
          problems.push(
            `${file}: job ${jobId}: the apply role needs environment: ${environmentExpression(defaultEnvironment)}`,
          );
      } else {
        problems.push(
          `${file}: job ${jobId}: role-to-assume "${role}" is neither AWS_PLAN_ROLE_ARN nor AWS_APPLY_ROLE_ARN`,
        );
      }
      if (!/vars\.AWS_REGION/.test(String(inputs["aws-region"] ?? ""))) {
        problems.push(`${file}: job ${jobId}: aws-region must come from vars.AWS_REGION`);
      }
    }
  }
  return problems;
}

export function triggerNames(workflow: Workflow): string[] {
  const on = workflow.on;
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  if (on && typeof on === "object") return Object.keys(on);
  return [];
}

/** Settings the workflows set themselves instead of reading a repository variable. */
export const FIXED_SETTINGS: Readonly<Record<string, string>> = {
  LAB_STATE_BACKEND_IN_BUCKET: "true",
};
/**
 * Settings the workflows must not pass: the emulator's endpoint, the state bucket's forced deletion, and
 * the monitor stack's VPCs (it is deployed by hand: the CI roles cover the lab and state-backend stacks).
 */
export const UNPASSED_SETTINGS: readonly string[] = [
  "LAB_AWS_ENDPOINT",
  "LAB_STATE_BUCKET_FORCE_DESTROY",
  "LAB_MONITOR_VPCS",
];

/** In workflows that synthesize: every app setting reaches synth (from vars.<NAME> or fixed), CHECKPOINT_DISABLE is set. */
export function checkSettingsEnv({ file, workflow }: LoadedWorkflow, settingEnvs: readonly string[]): string[] {
  const problems: string[] = [];
  const synthesizes = jobsOf(workflow).some(([, j]) =>
    (j.steps ?? []).some((s) => /npx cdktf synth/.test(s.run ?? "")),
  );
  if (!synthesizes) return problems;
  const env = workflow.env ?? {};
  if (String(env.CHECKPOINT_DISABLE) !== "1") problems.push(`${file}: env CHECKPOINT_DISABLE must be "1"`);
  for (const name of settingEnvs) {
    const value = env[name];
    if (UNPASSED_SETTINGS.includes(name)) {
      if (value !== undefined) problems.push(`${file}: env ${name} must not be set in CI`);
    } else if (name in FIXED_SETTINGS) {
      if (String(value) !== FIXED_SETTINGS[name])
        problems.push(`${file}: env ${name} must be "${FIXED_SETTINGS[name]}"`);
    } else if (typeof value !== "string" || !value.includes(`vars.${name}`)) {
      problems.push(`${file}: env ${name} is not passed from the repository variable vars.${name}`);
    }
  }
  return problems;
}
