/**
 * The shell of the workflows' key steps, run as GitHub runs it (bash -e, and bash -eo pipefail) against a fake
 * terraform: a failed plan fails the step but leaves its output for the comment; the destroy confirmation must be
 * exact; pending state-backend changes warn without failing the apply.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Step, loadWorkflow } from "./workflow-checks";

const FAKE_TERRAFORM = `#!/usr/bin/env bash
echo "terraform $*" >> "$FAKE_CALLS"
case "$1" in
  init)
    echo "Initializing the backend..."
    if [ "\${FAKE_INIT_EXIT:-0}" != 0 ]; then echo "Error: Failed to get existing workspaces: AccessDenied" >&2; fi
    exit "\${FAKE_INIT_EXIT:-0}" ;;
  plan)
    code="\${FAKE_PLAN_EXIT:-0}"
    if [ "$code" = 1 ]; then echo "Error: creating EC2 VPC: UnauthorizedOperation" >&2; exit 1; fi
    echo "binary plan" > tfplan
    echo "Plan: 2 to add, 0 to change, 0 to destroy."
    case " $* " in *" -detailed-exitcode "*) exit "$code" ;; esac
    exit 0 ;;
  show)
    file="\${*: -1}"
    [ -f "$file" ] || { echo "no plan file $file" >&2; exit 1; }
    echo "  # aws_vpc.lab will be created"
    echo "Plan: 2 to add, 0 to change, 0 to destroy." ;;
  apply) echo "Apply complete!" ;;
  *) echo "unexpected terraform $*" >&2; exit 3 ;;
esac
`;

interface StepResult {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
  output: string;
  summary: string;
  cwd: string;
}

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-steps-"));
  fs.mkdirSync(path.join(work, "bin"));
  fs.writeFileSync(path.join(work, "bin", "terraform"), FAKE_TERRAFORM, { mode: 0o755 });
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs a step's run: block like GitHub's bash shell, with the fake terraform first on PATH. */
function runStep(step: Step, env: Record<string, string> = {}, shell: string[] = ["-e"]): StepResult {
  if (typeof step.run !== "string") throw new Error("not a run step");
  const cwd = path.join(work, "stack");
  fs.mkdirSync(cwd, { recursive: true });
  const files = { calls: path.join(work, "calls"), output: path.join(work, "output"), summary: path.join(work, "sum") };
  for (const f of Object.values(files)) fs.writeFileSync(f, "");
  const script = path.join(work, "step.sh");
  fs.writeFileSync(script, step.run);
  const result = spawnSync("bash", ["--noprofile", "--norc", ...shell, script], {
    cwd,
    encoding: "utf8",
    env: {
      PATH: `${path.join(work, "bin")}:${process.env.PATH}`,
      HOME: work,
      FAKE_CALLS: files.calls,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      ...env,
    },
  });
  const read = (f: string) => fs.readFileSync(f, "utf8");
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    calls: read(files.calls).trim().split("\n").filter(Boolean),
    output: read(files.output),
    summary: read(files.summary),
    cwd,
  };
}

function step(file: string, jobId: string, predicate: (s: Step) => boolean): Step {
  const found = (loadWorkflow(file).workflow.jobs[jobId]?.steps ?? []).find(predicate);
  if (!found) throw new Error(`${file}: no such step in ${jobId}`);
  return found;
}

const SHELLS = [["-e"], ["-eo", "pipefail"]];

describe("plan.yml: terraform init and plan", () => {
  const planStep = step("plan.yml", "plan", (s) => s.name === "terraform init and plan");

  it.each(SHELLS)("a good plan: succeeds, writes plan.txt from terraform show and plan.log (bash %s)", (...shell) => {
    const r = runStep(planStep, {}, shell);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      "terraform init -input=false -no-color",
      "terraform plan -input=false -no-color -lock=false -out=tfplan",
      "terraform show -no-color tfplan",
    ]);
    expect(fs.readFileSync(path.join(r.cwd, "plan.txt"), "utf8")).toContain("Plan: 2 to add");
    expect(fs.readFileSync(path.join(r.cwd, "outcome"), "utf8")).toBe("success\n");
    expect(fs.readFileSync(path.join(r.cwd, "plan.log"), "utf8")).toContain("Initializing the backend...");
  });

  it.each(SHELLS)("a failed plan: fails the step, keeps the error in plan.log, no plan.txt (bash %s)", (...shell) => {
    const r = runStep(planStep, { FAKE_PLAN_EXIT: "1" }, shell);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("::error::terraform init or plan failed (exit 1).");
    expect(fs.readFileSync(path.join(r.cwd, "plan.log"), "utf8")).toContain("Error: creating EC2 VPC");
    expect(fs.existsSync(path.join(r.cwd, "plan.txt"))).toBe(false);
    expect(fs.readFileSync(path.join(r.cwd, "outcome"), "utf8")).toBe("failure\n");
  });

  it("a failed init: fails the step without planning", () => {
    const r = runStep(planStep, { FAKE_INIT_EXIT: "1" });
    expect(r.status).toBe(1);
    expect(r.calls).toEqual(["terraform init -input=false -no-color"]);
    expect(fs.readFileSync(path.join(r.cwd, "plan.log"), "utf8")).toContain("AccessDenied");
  });
});

describe("destroy.yml: the confirmation", () => {
  const confirm = step("destroy.yml", "confirm", (s) => typeof s.run === "string" && s.run.includes("CONFIRMATION"));

  it("passes the input and the ref through env", () => {
    expect(confirm.env).toEqual({ CONFIRMATION: "${{ inputs.confirmation }}", REF: "${{ github.ref }}" });
  });

  it("accepts exactly 'destroy lab' on main", () => {
    const r = runStep(confirm, { CONFIRMATION: "destroy lab", REF: "refs/heads/main" });
    expect(r.status).toBe(0);
  });

  it.each(["", "destroy", "Destroy lab", "destroy lab ", " destroy lab", "destroy  lab", "destroy state-backend"])(
    "refuses %j",
    (typed) => {
      const r = runStep(confirm, { CONFIRMATION: typed, REF: "refs/heads/main" });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("nothing was destroyed");
    },
  );

  it("refuses another branch", () => {
    const r = runStep(confirm, { CONFIRMATION: "destroy lab", REF: "refs/heads/feature" });
    expect(r.status).toBe(1);
  });
});

describe("apply.yml: the state-backend check", () => {
  const check = step("apply.yml", "plan", (s) => s["working-directory"] === "cdktf.out/stacks/state-backend");

  it("no changes: passes quietly", () => {
    const r = runStep(check, { FAKE_PLAN_EXIT: "0" }, ["-eo", "pipefail"]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain("::warning::");
    expect(r.calls.some((c) => c.startsWith("terraform apply"))).toBe(false);
  });

  it("changes: warns and shows them in the job summary, applies nothing", () => {
    const r = runStep(check, { FAKE_PLAN_EXIT: "2" }, ["-eo", "pipefail"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("::warning::The state-backend stack has changes");
    expect(r.summary).toContain("Plan: 2 to add");
    expect(r.calls.some((c) => c.startsWith("terraform apply"))).toBe(false);
  });

  it("a failed plan fails the apply job", () => {
    const r = runStep(check, { FAKE_PLAN_EXIT: "1" }, ["-eo", "pipefail"]);
    expect(r.status).toBe(1);
  });
});

describe("apply.yml: the lab's plan", () => {
  const plan = step("apply.yml", "plan", (s) => s.name === "lab: terraform init and plan");

  it("changes: says so for the apply job, shows the plan in the summary", () => {
    const r = runStep(plan, { FAKE_PLAN_EXIT: "2" }, ["-eo", "pipefail"]);
    expect(r.status).toBe(0);
    expect(r.output).toBe("changes=true\n");
    expect(r.summary).toContain("the plan that the apply job applies after approval");
    expect(r.calls).toContain("terraform plan -input=false -no-color -lock=false -detailed-exitcode -out=tfplan");
  });

  it("no changes: no apply job (nothing to approve)", () => {
    const r = runStep(plan, { FAKE_PLAN_EXIT: "0" }, ["-eo", "pipefail"]);
    expect(r.status).toBe(0);
    expect(r.output).toBe("changes=false\n");
  });

  it("a failed plan fails the job", () => {
    expect(runStep(plan, { FAKE_PLAN_EXIT: "1" }, ["-eo", "pipefail"]).status).toBe(1);
  });
});
