/**
 * The policies of the GitHub Actions workflows (their syntax is actionlint's job): what they run exists,
 * actions are pinned by SHA, permissions are minimal and no job that runs pull-request code can write,
 * each role is assumed only where its trust policy admits it, every setting reaches synth, and apply
 * applies exactly the plan that was approved. Each check also runs on a broken copy, to show it would fail.
 */
import { SETTINGS } from "../../config/settings";
import { CI_WORKFLOWS } from "../../constructs/github-ci-roles";
import { LAB_STACK, STATE_BACKEND_STACK } from "../../main";
import {
  type Job,
  type LoadedWorkflow,
  type Step,
  checkActionsPinned,
  checkAwsRoles,
  checkCommands,
  checkPaths,
  checkPermissions,
  checkSettingsEnv,
  checkTerraform,
  commandsIn,
  environmentExpression,
  expandMatrix,
  loadWorkflow,
  repoFacts,
  triggerNames,
  usesAction,
  workflowFiles,
} from "./workflow-checks";

const STACKS = [STATE_BACKEND_STACK, LAB_STACK];
const facts = repoFacts(STACKS);
const settingEnvs = Object.values(SETTINGS).map((s) => s.env);
const DEFAULT_ENVIRONMENT = SETTINGS.githubEnvironment.default;
const ENVIRONMENT = environmentExpression(DEFAULT_ENVIRONMENT);
const files = workflowFiles();

function allProblems(loaded: LoadedWorkflow): string[] {
  return [
    ...checkCommands(loaded, facts),
    ...checkPaths(loaded, facts),
    ...checkActionsPinned(loaded, facts),
    ...checkPermissions(loaded),
    ...checkTerraform(loaded),
    ...checkAwsRoles(loaded, DEFAULT_ENVIRONMENT),
    ...checkSettingsEnv(loaded, settingEnvs),
  ];
}

function clone(loaded: LoadedWorkflow): LoadedWorkflow {
  return { ...loaded, workflow: structuredClone(loaded.workflow) };
}

function job(loaded: LoadedWorkflow, id: string): Job {
  const found = loaded.workflow.jobs[id];
  if (!found) throw new Error(`${loaded.file} has no job ${id}`);
  return found;
}

function stepsOf(loaded: LoadedWorkflow, id: string): Step[] {
  return job(loaded, id).steps ?? [];
}

function stepNamed(loaded: LoadedWorkflow, jobId: string, name: string): Step {
  const step = stepsOf(loaded, jobId).find((s) => s.name === name);
  if (!step) throw new Error(`${loaded.file}: job ${jobId} has no step "${name}"`);
  return step;
}

function indexOfRun(steps: Step[], pattern: RegExp): number {
  return steps.findIndex((s) => typeof s.run === "string" && pattern.test(s.run));
}

function roleOf(j: Job): string | undefined {
  const creds = (j.steps ?? []).find((s) => usesAction(s, "aws-actions/configure-aws-credentials"));
  return creds ? String(creds.with?.["role-to-assume"]) : undefined;
}

describe("the workflow files", () => {
  it("are plan, plan comment, apply, destroy and the emulator run: the ones the CI roles trust, and two without AWS", () => {
    expect(files).toEqual(["apply.yml", "destroy.yml", "e2e.yml", "plan-comment.yml", "plan.yml"]);
    for (const file of Object.values(CI_WORKFLOWS)) expect(files).toContain(file);
  });
});

describe.each(files)("%s", (file) => {
  const loaded = loadWorkflow(file);

  it("has no problem that a check finds", () => {
    expect(allProblems(loaded)).toEqual([]);
  });

  it("installs from the lock file before it runs anything of the app", () => {
    for (const [id, j] of Object.entries(loaded.workflow.jobs)) {
      const steps = j.steps ?? [];
      const appStep = indexOfRun(steps, /\bnpx\b|\bnpm (test|run)\b/);
      if (appStep < 0) continue;
      const install = indexOfRun(steps, /^npm ci\b/m);
      expect({ id, install: install >= 0 && install < appStep }).toEqual({ id, install: true });
    }
  });

  it("puts no ${{ }} expression inside a run: block (values reach scripts through env)", () => {
    const offenders = Object.entries(loaded.workflow.jobs).flatMap(([id, j]) =>
      (j.steps ?? []).filter((s) => typeof s.run === "string" && s.run.includes("${{")).map((s) => `${id}: ${s.name}`),
    );
    expect(offenders).toEqual([]);
  });

  it("runs Node.js 22 (Node.js 20 reached end of life on 2026-04-30)", () => {
    for (const j of Object.values(loaded.workflow.jobs))
      for (const s of j.steps ?? [])
        if (usesAction(s, "actions/setup-node")) expect(s.with?.["node-version"]).toBe("22");
  });
});

describe("plan.yml: runs the pull request's code, so it can write nothing", () => {
  const loaded = loadWorkflow("plan.yml");
  const plan = job(loaded, "plan");

  it("runs on pull requests, one run per pull request, and skips forks", () => {
    expect(triggerNames(loaded.workflow)).toEqual(["pull_request"]);
    expect(loaded.workflow.concurrency).toEqual({
      group: "plan-${{ github.event.pull_request.number }}",
      "cancel-in-progress": true,
    });
    expect(plan.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
  });

  it("tests, then plans every stack with the plan role, without a lock", () => {
    expect(
      commandsIn(
        stepsOf(loaded, "test")
          .map((s) => s.run ?? "")
          .join("\n"),
      ).npmScripts,
    ).toContain("test");
    expect(plan.needs).toBe("test");
    expect([...(plan.strategy?.matrix?.stack as string[])].sort()).toEqual([...STACKS].sort());
    const step = stepNamed(loaded, "plan", "terraform init and plan");
    expect(expandMatrix(step["working-directory"] ?? "", plan).sort()).toEqual(
      STACKS.map((s) => `cdktf.out/stacks/${s}`).sort(),
    );
    expect(step.run).toMatch(/terraform plan -input=false -no-color -lock=false -out=tfplan/);
    expect(roleOf(plan)).toBe("${{ vars.AWS_PLAN_ROLE_ARN }}");
  });

  it("asks for no write permission but the OIDC token, and uploads the plan's text only", () => {
    expect(plan.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(job(loaded, "test").permissions).toEqual({ contents: "read" });
    expect(stepsOf(loaded, "plan").some((s) => usesAction(s, "actions/github-script"))).toBe(false);
    const upload = stepsOf(loaded, "plan").find((s) => usesAction(s, "actions/upload-artifact"));
    expect(String(upload?.with?.path)).not.toMatch(/tfplan\s*$/m);
    expect(upload?.with?.name).toBe("plan-${{ matrix.stack }}");
  });
});

describe("plan-comment.yml: posts the plans with the default branch's code", () => {
  const loaded = loadWorkflow("plan-comment.yml");
  const comment = job(loaded, "comment");

  it("runs after plan.yml, for this repository's pull requests", () => {
    expect(loaded.workflow.on).toEqual({ workflow_run: { workflows: ["plan"], types: ["completed"] } });
    expect(comment.if).toContain("github.event.workflow_run.event == 'pull_request'");
  });

  it("may write pull-request comments, and nothing else; assumes no AWS role", () => {
    expect(comment.permissions).toEqual({ actions: "read", contents: "read", "pull-requests": "write" });
    expect(roleOf(comment)).toBeUndefined();
  });

  it("reads the run's artifacts with .github/scripts/plan-comment.cjs", () => {
    const download = (comment.steps ?? []).find((s) => usesAction(s, "actions/download-artifact"));
    expect(download?.with).toMatchObject({ "run-id": "${{ github.event.workflow_run.id }}", pattern: "plan-*" });
    const script = (comment.steps ?? []).find((s) => usesAction(s, "actions/github-script"));
    expect(String(script?.with?.script)).toContain('require("./.github/scripts/plan-comment.cjs")');
  });
});

describe("apply.yml: applies exactly the plan that was approved", () => {
  const loaded = loadWorkflow("apply.yml");
  const plan = job(loaded, "plan");
  const apply = job(loaded, "apply");

  it("runs on pushes to main, never cancelled, apply and destroy in one queue", () => {
    expect(triggerNames(loaded.workflow)).toEqual(["push"]);
    expect((loaded.workflow.on as { push: { branches: string[] } }).push.branches).toEqual(["main"]);
    expect(loaded.workflow.concurrency).toEqual({ group: ENVIRONMENT, "cancel-in-progress": false });
    expect(loadWorkflow("destroy.yml").workflow.concurrency).toEqual(loaded.workflow.concurrency);
  });

  it("plans with the plan role (no environment): checks state-backend, saves the lab's plan for a day", () => {
    expect(plan.environment).toBeUndefined();
    expect(roleOf(plan)).toBe("${{ vars.AWS_PLAN_ROLE_ARN }}");
    expect(stepNamed(loaded, "plan", "state-backend: check for changes only an administrator can apply").run).toMatch(
      /-detailed-exitcode/,
    );
    const upload = (plan.steps ?? []).find((s) => usesAction(s, "actions/upload-artifact"));
    expect(upload?.with).toMatchObject({ path: "cdktf.out/stacks/lab/tfplan", "retention-days": 1 });
  });

  it("applies in the protected environment with the apply role: the downloaded plan, no new plan", () => {
    expect(apply.needs).toBe("plan");
    expect(apply.environment).toBe(ENVIRONMENT);
    expect(roleOf(apply)).toBe("${{ vars.AWS_APPLY_ROLE_ARN }}");
    const steps = apply.steps ?? [];
    const download = steps.findIndex((s) => usesAction(s, "actions/download-artifact"));
    expect(steps[download].with?.name).toBe(
      (plan.steps ?? []).find((s) => usesAction(s, "actions/upload-artifact"))?.with?.name,
    );
    expect(download).toBeLessThan(indexOfRun(steps, /terraform apply .*tfplan$/m));
    expect(indexOfRun(steps, /terraform plan/)).toBe(-1);
  });
});

describe("e2e.yml: the emulator run on every pull request, with no AWS account", () => {
  const loaded = loadWorkflow("e2e.yml");
  const e2e = job(loaded, "e2e");

  it("runs npm run e2e with the registry's provider, reading the repository only", () => {
    expect(triggerNames(loaded.workflow)).toEqual(["pull_request"]);
    expect(e2e.permissions).toEqual({ contents: "read" });
    expect(roleOf(e2e)).toBeUndefined();
    expect(commandsIn((e2e.steps ?? []).map((s) => s.run ?? "").join("\n")).npmScripts).toContain("e2e");
    expect(loaded.workflow.env?.LAB_E2E_PROVIDER).toBe("registry");
  });
});

describe("destroy.yml", () => {
  const loaded = loadWorkflow("destroy.yml");

  it("runs by hand only, with a typed confirmation, in the protected environment, on the lab stack only", () => {
    expect(triggerNames(loaded.workflow)).toEqual(["workflow_dispatch"]);
    const destroy = job(loaded, "destroy");
    expect(destroy.needs).toBe("confirm");
    expect(destroy.environment).toBe(ENVIRONMENT);
    expect(job(loaded, "confirm").permissions).toEqual({});
    const dirs = (destroy.steps ?? []).map((s) => s["working-directory"]).filter((d) => d !== undefined);
    expect(new Set(dirs)).toEqual(new Set([`cdktf.out/stacks/${LAB_STACK}`]));
  });
});

describe("the checks fail on a broken workflow", () => {
  const plan = loadWorkflow("plan.yml");
  const apply = loadWorkflow("apply.yml");

  it("an npm script that package.json lacks, an npx bin that is not installed", () => {
    const broken = clone(plan);
    stepsOf(broken, "test").push({ run: "npm run --silent no-such-script" }, { run: "npx --yes not-installed-tool" });
    expect(checkCommands(broken, facts)).toEqual([
      expect.stringContaining('npm script "no-such-script"'),
      expect.stringContaining("npx not-installed-tool"),
    ]);
  });

  it("a stack folder of a stack the app does not have, a file that does not exist", () => {
    const broken = clone(plan);
    job(broken, "plan").strategy = { matrix: { stack: ["state-backend", "labs"] }, "fail-fast": false };
    stepsOf(broken, "test").push({ run: "bash scripts/missing.sh" });
    const problems = checkPaths(broken, facts);
    expect(problems.some((p) => p.includes("cdktf.out/stacks/labs"))).toBe(true);
    expect(problems.some((p) => p.includes("scripts/missing.sh does not exist"))).toBe(true);
  });

  it("an action on a tag, and one pinned without its version comment", () => {
    const broken = clone(plan);
    stepsOf(broken, "test")[0].uses = "actions/checkout@v4";
    const sha = "a".repeat(40);
    stepsOf(broken, "test")[1].uses = `actions/setup-node@${sha}`;
    expect(checkActionsPinned(broken, facts)).toEqual([
      expect.stringContaining("actions/checkout@v4 is not pinned to a full commit SHA"),
      expect.stringContaining('has no "# vX.Y.Z" comment'),
    ]);
  });

  it("a write permission in a job that runs pull-request code", () => {
    const broken = clone(plan);
    job(broken, "plan").permissions = { contents: "read", "id-token": "write", "pull-requests": "write" };
    expect(checkPermissions(broken)).toEqual([
      expect.stringContaining("runs pull-request code with pull-requests: write"),
    ]);
  });

  it("a plan role that plans with a lock, an apply role outside the environment", () => {
    const broken = clone(apply);
    stepNamed(broken, "plan", "lab: terraform init and plan").run = "terraform plan -out=tfplan";
    job(broken, "apply").environment = "production";
    expect(checkAwsRoles(broken, DEFAULT_ENVIRONMENT)).toEqual([
      expect.stringContaining("plans with -lock=false"),
      expect.stringContaining("the apply role needs environment"),
    ]);
  });

  it("a setting not passed to synth", () => {
    const broken = clone(plan);
    delete broken.workflow.env?.LAB_REGION;
    expect(checkSettingsEnv(broken, settingEnvs)).toEqual([expect.stringContaining("env LAB_REGION")]);
  });

  it("terraform before setup-terraform", () => {
    const broken = clone(plan);
    stepsOf(broken, "test").push({ run: "terraform version" });
    expect(checkTerraform(broken)).toEqual([
      expect.stringContaining("runs terraform before hashicorp/setup-terraform"),
    ]);
  });
});
