/**
 * The GitHub Actions workflows refer only to things that exist (npm scripts, bins, files, the app's stacks), pin
 * their actions and Terraform, ask for minimal permissions, and use the plan and apply roles where those are trusted.
 * Each check also runs on a broken copy of a workflow, to show that it would fail.
 */
import { LAB_STACK, STATE_BACKEND_STACK } from "../../main";
import { SETTINGS } from "../../config/settings";
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
const files = workflowFiles();

function allProblems(loaded: LoadedWorkflow): string[] {
  return [
    ...checkCommands(loaded, facts),
    ...checkPaths(loaded, facts),
    ...checkActionsPinned(loaded, facts),
    ...checkPermissions(loaded),
    ...checkTerraform(loaded),
    ...checkAwsRoles(loaded),
    ...checkSettingsEnv(loaded, settingEnvs),
  ];
}

function clone(loaded: LoadedWorkflow): LoadedWorkflow {
  return { file: loaded.file, workflow: structuredClone(loaded.workflow) };
}

function job(loaded: LoadedWorkflow, id: string): Job {
  const found = loaded.workflow.jobs[id];
  if (!found) throw new Error(`${loaded.file} has no job ${id}`);
  return found;
}

function stepsOf(loaded: LoadedWorkflow, id: string): Step[] {
  return job(loaded, id).steps ?? [];
}

function findStep(steps: Step[], predicate: (s: Step) => boolean, what: string): Step {
  const step = steps.find(predicate);
  if (!step) throw new Error(`no step ${what}`);
  return step;
}

function indexOfRun(steps: Step[], pattern: RegExp): number {
  return steps.findIndex((s) => typeof s.run === "string" && pattern.test(s.run));
}

describe("the workflow files", () => {
  it("are plan, apply and destroy", () => {
    expect(files).toEqual(["apply.yml", "destroy.yml", "plan.yml"]);
  });

  it("the app's stacks are the two the workflows know", () => {
    expect(STACKS.sort()).toEqual(["lab", "state-backend"]);
  });
});

describe.each(files)("%s", (file) => {
  const loaded = loadWorkflow(file);

  it("parses, with a name and jobs", () => {
    expect(typeof loaded.workflow.name).toBe("string");
    expect(Object.keys(loaded.workflow.jobs).length).toBeGreaterThan(0);
  });

  it("runs only npm scripts in package.json and installed bins or packages with npx", () => {
    expect(checkCommands(loaded, facts)).toEqual([]);
  });

  it("refers only to files that exist and to stack folders of the app's stacks", () => {
    expect(checkPaths(loaded, facts)).toEqual([]);
  });

  it("pins every action to a major version or a commit SHA", () => {
    expect(checkActionsPinned(loaded, facts)).toEqual([]);
  });

  it("sets permissions: {} at the top and minimal permissions on every job", () => {
    expect(checkPermissions(loaded)).toEqual([]);
  });

  it("pins Terraform >= 1.10 without the wrapper, before any terraform command", () => {
    expect(checkTerraform(loaded)).toEqual([]);
  });

  it("uses the plan role only from pull requests and the apply role only in production, by OIDC", () => {
    expect(checkAwsRoles(loaded)).toEqual([]);
  });

  it("passes every app setting to synth (CHECKPOINT_DISABLE=1; state-backend state in the bucket)", () => {
    expect(checkSettingsEnv(loaded, settingEnvs)).toEqual([]);
  });

  it("installs from the lock file before it runs anything of the app", () => {
    for (const [id, j] of Object.entries(loaded.workflow.jobs)) {
      const steps = j.steps ?? [];
      const appStep = indexOfRun(steps, /\bnpx\b|\bnpm (test|run)\b/);
      if (appStep < 0) continue;
      const install = indexOfRun(steps, /^npm ci\b/m);
      expect({ id, install: install >= 0 && install < appStep }).toEqual({ id, install: true });
      expect(steps.some((s) => typeof s.run === "string" && /\bnpm (install|i)\b/.test(s.run))).toBe(false);
    }
  });

  it("puts no ${{ }} expression inside a run: block (values reach scripts through env)", () => {
    const offenders = Object.entries(loaded.workflow.jobs).flatMap(([id, j]) =>
      (j.steps ?? []).filter((s) => typeof s.run === "string" && s.run.includes("${{")).map((s) => `${id}: ${s.run}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe("plan.yml", () => {
  const loaded = loadWorkflow("plan.yml");
  const { workflow } = loaded;
  const plan = job(loaded, "plan");
  const steps = stepsOf(loaded, "plan");

  it("runs on pull requests, one run per pull request", () => {
    expect(triggerNames(workflow)).toEqual(["pull_request"]);
    expect(workflow.concurrency).toEqual({
      group: "plan-${{ github.event.pull_request.number }}",
      "cancel-in-progress": true,
    });
  });

  it("tests before planning", () => {
    const test = stepsOf(loaded, "test");
    expect(commandsIn(test.map((s) => s.run ?? "").join("\n")).npmScripts).toContain("test");
    expect(plan.needs).toBe("test");
  });

  it("plans every stack of the app, each in its synthesized folder", () => {
    expect([...(plan.strategy?.matrix?.stack as string[])].sort()).toEqual([...STACKS].sort());
    expect(plan.strategy?.["fail-fast"]).toBe(false);
    const planStep = findStep(steps, (s) => s.id === "plan", "with id plan");
    expect(expandMatrix(planStep["working-directory"] ?? "", plan).sort()).toEqual(
      STACKS.map((s) => `cdktf.out/stacks/${s}`).sort(),
    );
    expect(planStep.run).toMatch(/terraform init -input=false/);
    expect(planStep.run).toMatch(/terraform plan .*-out=tfplan/);
    expect(planStep.run).toMatch(/terraform show -no-color tfplan > plan\.txt/);
    const synth = indexOfRun(steps, /npx cdktf synth/);
    expect(synth).toBeGreaterThanOrEqual(0);
    expect(synth).toBeLessThan(steps.indexOf(planStep));
  });

  it("has no environment and asks for exactly contents: read, id-token: write, pull-requests: write", () => {
    expect(plan.environment).toBeUndefined();
    expect(plan.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
    expect(job(loaded, "test").permissions).toEqual({ contents: "read" });
  });

  it("assumes the plan role before synth and plan", () => {
    const creds = steps.findIndex((s) => usesAction(s, "aws-actions/configure-aws-credentials"));
    expect(steps[creds].with?.["role-to-assume"]).toBe("${{ vars.AWS_PLAN_ROLE_ARN }}");
    expect(creds).toBeLessThan(indexOfRun(steps, /terraform plan/));
  });

  it("uploads the binary plan when the plan succeeded", () => {
    const upload = findStep(steps, (s) => usesAction(s, "actions/upload-artifact"), "upload-artifact");
    expect(upload.if).toBe("steps.plan.outcome == 'success'");
    expect(String(upload.with?.path)).toContain("cdktf.out/stacks/${{ matrix.stack }}/tfplan");
    expect(upload.with?.["if-no-files-found"]).toBe("error");
  });

  it("comments with .github/scripts/plan-comment.cjs, also after a failed plan, and the failed plan fails the job", () => {
    const comment = findStep(steps, (s) => usesAction(s, "actions/github-script"), "github-script");
    expect(String(comment.with?.script)).toContain('require("./.github/scripts/plan-comment.cjs")');
    expect(comment.if).toBe("${{ !cancelled() }}");
    expect(comment.env).toMatchObject({ STACK: "${{ matrix.stack }}", PLAN_OUTCOME: "${{ steps.plan.outcome }}" });
    const planStep = findStep(steps, (s) => s.id === "plan", "with id plan");
    expect(planStep["continue-on-error"]).toBeUndefined();
    expect(steps.indexOf(comment)).toBeGreaterThan(steps.indexOf(planStep));
  });

  it("skips the plan for pull requests from forks (no OIDC token, read-only GITHUB_TOKEN)", () => {
    expect(plan.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
  });
});

describe("apply.yml", () => {
  const loaded = loadWorkflow("apply.yml");
  const apply = job(loaded, "apply");
  const steps = stepsOf(loaded, "apply");

  it("runs on pushes to main in the production environment, never cancelled", () => {
    expect(triggerNames(loaded.workflow)).toEqual(["push"]);
    expect((loaded.workflow.on as { push: { branches: string[] } }).push.branches).toEqual(["main"]);
    expect(apply.environment).toBe("production");
    expect(loaded.workflow.concurrency).toEqual({ group: "production", "cancel-in-progress": false });
  });

  it("applies the lab stack from a saved plan, after checking state-backend", () => {
    const dirs = steps.map((s) => s["working-directory"]).filter((d) => d !== undefined);
    expect(dirs).toEqual(["cdktf.out/stacks/state-backend", "cdktf.out/stacks/lab", "cdktf.out/stacks/lab"]);
    const applyIndex = indexOfRun(steps, /terraform apply .*tfplan/);
    expect(steps[applyIndex]["working-directory"]).toBe(`cdktf.out/stacks/${LAB_STACK}`);
    expect(indexOfRun(steps, /terraform plan .*-out=tfplan/)).toBeLessThan(applyIndex);
    const stateBackend = steps.find((s) => s["working-directory"] === `cdktf.out/stacks/${STATE_BACKEND_STACK}`);
    expect(stateBackend?.run).toMatch(/-detailed-exitcode/);
    expect(stateBackend?.run).not.toMatch(/terraform apply/);
  });

  it("assumes the apply role", () => {
    const creds = findStep(steps, (s) => usesAction(s, "aws-actions/configure-aws-credentials"), "credentials");
    expect(creds.with?.["role-to-assume"]).toBe("${{ vars.AWS_APPLY_ROLE_ARN }}");
  });
});

describe("destroy.yml", () => {
  const loaded = loadWorkflow("destroy.yml");

  it("runs by hand only, with a typed confirmation", () => {
    expect(triggerNames(loaded.workflow)).toEqual(["workflow_dispatch"]);
    const inputs = (loaded.workflow.on as { workflow_dispatch: { inputs: Record<string, { required: boolean }> } })
      .workflow_dispatch.inputs;
    expect(inputs.confirmation.required).toBe(true);
  });

  it("destroys only after the confirm job, in production, and only the lab stack", () => {
    const destroy = job(loaded, "destroy");
    expect(destroy.needs).toBe("confirm");
    expect(destroy.environment).toBe("production");
    expect(job(loaded, "confirm").environment).toBeUndefined();
    expect(job(loaded, "confirm").permissions).toEqual({});
    const dirs = (destroy.steps ?? []).map((s) => s["working-directory"]).filter((d) => d !== undefined);
    expect(new Set(dirs)).toEqual(new Set([`cdktf.out/stacks/${LAB_STACK}`]));
    expect((destroy.steps ?? []).some((s) => /terraform plan -destroy .*-out=tfplan/.test(s.run ?? ""))).toBe(true);
  });
});

describe("the checks fail on a broken workflow", () => {
  const plan = loadWorkflow("plan.yml");
  const apply = loadWorkflow("apply.yml");

  function planStep(loaded: LoadedWorkflow): Step {
    return findStep(stepsOf(loaded, "plan"), (s) => s.id === "plan", "with id plan");
  }

  it("real workflows have no problems at all", () => {
    for (const file of files) expect(allProblems(loadWorkflow(file))).toEqual([]);
  });

  it("an npm script that package.json lacks", () => {
    const broken = clone(plan);
    stepsOf(broken, "test").push({ run: "npm run --silent no-such-script" });
    expect(checkCommands(broken, facts)).toEqual([expect.stringContaining('npm script "no-such-script"')]);
  });

  it("an npx bin that is not installed", () => {
    const broken = clone(plan);
    stepsOf(broken, "test").push({ run: "npx --yes not-installed-tool --help" });
    expect(checkCommands(broken, facts)).toEqual([expect.stringContaining("npx not-installed-tool")]);
  });

  it("a stack folder of a stack the app does not have", () => {
    const broken = clone(plan);
    job(broken, "plan").strategy = { matrix: { stack: ["state-backend", "labs"] }, "fail-fast": false };
    expect(checkPaths(broken, facts).some((p) => p.includes("cdktf.out/stacks/labs"))).toBe(true);
  });

  it("a script file that does not exist", () => {
    const broken = clone(plan);
    const comment = findStep(stepsOf(broken, "plan"), (s) => usesAction(s, "actions/github-script"), "comment");
    comment.with = { script: 'require("./.github/scripts/missing.cjs")' };
    expect(checkPaths(broken, facts)).toEqual([expect.stringContaining(".github/scripts/missing.cjs does not exist")]);
  });

  it("an action on a branch or without a version", () => {
    const broken = clone(plan);
    stepsOf(broken, "plan")[0].uses = "actions/checkout@main";
    stepsOf(broken, "test")[0].uses = "actions/checkout";
    expect(checkActionsPinned(broken, facts)).toHaveLength(2);
  });

  it("missing job permissions, write-all, or a needless write", () => {
    const broken = clone(plan);
    delete job(broken, "test").permissions;
    expect(checkPermissions(broken)).toEqual([expect.stringContaining("job test has no permissions")]);
    job(broken, "test").permissions = "write-all";
    expect(checkPermissions(broken)).toEqual([expect.stringContaining('"write-all"')]);
    job(broken, "test").permissions = { contents: "write" };
    expect(checkPermissions(broken)).toEqual([expect.stringContaining("contents: write")]);
    broken.workflow.permissions = { contents: "read" };
    job(broken, "test").permissions = { contents: "read" };
    expect(checkPermissions(broken)).toEqual([expect.stringContaining("top-level permissions")]);
  });

  it("an OIDC job without id-token: write", () => {
    const broken = clone(plan);
    job(broken, "plan").permissions = { contents: "read", "pull-requests": "write" };
    expect(checkPermissions(broken)).toEqual([expect.stringContaining("lacks id-token: write")]);
  });

  it("Terraform older than 1.10, a range, or the wrapper", () => {
    const broken = clone(plan);
    const setup = findStep(stepsOf(broken, "plan"), (s) => usesAction(s, "hashicorp/setup-terraform"), "setup");
    setup.with = { terraform_version: "1.9.8", terraform_wrapper: false };
    expect(checkTerraform(broken)).toEqual([expect.stringContaining("older than 1.10")]);
    setup.with = { terraform_version: "~1.11", terraform_wrapper: true };
    expect(checkTerraform(broken)).toHaveLength(2);
  });

  it("terraform before setup-terraform", () => {
    const broken = clone(plan);
    stepsOf(broken, "plan").unshift({ run: "terraform version" });
    expect(checkTerraform(broken)).toEqual([expect.stringContaining("before hashicorp/setup-terraform")]);
  });

  it("the apply role outside production, the plan role in an environment, static keys", () => {
    const brokenApply = clone(apply);
    delete job(brokenApply, "apply").environment;
    expect(checkAwsRoles(brokenApply)).toEqual([expect.stringContaining("needs environment: production")]);
    const brokenPlan = clone(plan);
    job(brokenPlan, "plan").environment = "production";
    const creds = findStep(
      stepsOf(brokenPlan, "plan"),
      (s) => usesAction(s, "aws-actions/configure-aws-credentials"),
      "",
    );
    creds.with = { ...creds.with, "aws-access-key-id": "${{ secrets.KEY }}" };
    expect(checkAwsRoles(brokenPlan)).toHaveLength(2);
  });

  it("a setting that is not passed, or local state for state-backend", () => {
    const broken = clone(plan);
    delete broken.workflow.env?.LAB_ALERT_EMAIL;
    (broken.workflow.env ?? {}).LAB_STATE_BACKEND_IN_BUCKET = "${{ vars.LAB_STATE_BACKEND_IN_BUCKET }}";
    (broken.workflow.env ?? {}).LAB_AWS_ENDPOINT = "http://127.0.0.1:4566";
    expect(checkSettingsEnv(broken, settingEnvs)).toHaveLength(3);
  });

  it("a plan step in a folder of no stack", () => {
    const broken = clone(plan);
    planStep(broken)["working-directory"] = "cdktf.out/stacks/vpc";
    expect(checkPaths(broken, facts).length).toBeGreaterThan(0);
  });
});

describe("commandsIn", () => {
  it("finds npm scripts and npx bins past flags, operators and continuations", () => {
    expect(
      commandsIn("npm ci\nnpm run --silent build && npm test\nnpx --yes cdktf synth \\\n  lab; npm t # npm run x"),
    ).toEqual({ npmScripts: ["build", "test", "test"], npxBins: ["cdktf"] });
  });
});
