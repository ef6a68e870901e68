/**
 * Runs a step of a GitHub workflow as the workflow would: its `run:` script under `bash -e -o pipefail`
 * in its working directory, with the job's and the step's literal `env:`. The emulator run applies the lab
 * with the workflows' own commands, so what it proves is what CI runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { sh } from "./steps";

interface WorkflowStep {
  readonly name?: string;
  readonly run?: string;
  readonly "working-directory"?: string;
  readonly env?: Record<string, string>;
}
interface Workflow {
  readonly jobs: Record<string, { readonly steps: WorkflowStep[]; readonly env?: Record<string, string> }>;
}

/** The step's script and folder, with `${{ matrix.<key> }}` replaced from `matrix`. */
export function workflowStep(
  root: string,
  file: string,
  job: string,
  stepName: string,
  matrix: Readonly<Record<string, string>> = {},
): { script: string; workingDirectory: string; env: Record<string, string> } {
  const workflow = parse(readFileSync(join(root, ".github", "workflows", file), "utf8")) as Workflow;
  const step = workflow.jobs[job]?.steps.find((s) => s.name === stepName);
  if (!step?.run) throw new Error(`${file}: job ${job} has no run step named "${stepName}"`);
  const expand = (text: string) =>
    text.replace(/\$\{\{\s*matrix\.([a-z_-]+)\s*\}\}/g, (_, key: string) => {
      if (!(key in matrix)) throw new Error(`${file}: step "${stepName}" needs matrix.${key}`);
      return matrix[key];
    });
  if (/\$\{\{/.test(expand(step.run))) throw new Error(`${file}: step "${stepName}" has an expression in its script`);
  const literalEnv = Object.fromEntries(
    Object.entries({ ...workflow.jobs[job].env, ...step.env }).filter(([, value]) => !String(value).includes("${{")),
  );
  return { script: expand(step.run), workingDirectory: expand(step["working-directory"] ?? "."), env: literalEnv };
}

/** Runs the step in `cwd` (the checkout); GITHUB_STEP_SUMMARY goes to a scratch file. */
export function runWorkflowStep(
  root: string,
  cwd: string,
  file: string,
  job: string,
  stepName: string,
  env: NodeJS.ProcessEnv,
  matrix: Readonly<Record<string, string>> = {},
): string {
  const step = workflowStep(root, file, job, stepName, matrix);
  const scratch = mkdtempSync(join(tmpdir(), "lab-step-"));
  const script = join(scratch, "step.sh");
  writeFileSync(script, step.script);
  try {
    return sh(
      "bash",
      ["-e", "-o", "pipefail", script],
      {
        ...env,
        ...step.env,
        GITHUB_STEP_SUMMARY: join(scratch, "summary.md"),
      },
      join(cwd, step.workingDirectory),
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
