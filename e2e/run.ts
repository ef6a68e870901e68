/**
 * `npm run e2e`: deploy, plan and destroy for real, with Terraform and the AWS provider, against moto (a
 * local AWS API emulator on 127.0.0.1), in the two ways the lab is run:
 * - solo: a person with administrator rights, state-backend state kept local, the README's commands;
 * - team: state moved into the bucket, CI roles, the lab planned, applied and destroyed by the
 *   workflows' own steps, every AWS call recorded and judged against the role that would make it.
 * Both end with the README's teardown and a check that nothing is left. Prints a summary with times.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stateKey } from "../config/names";
import { DEPLOYMENTS, EMULATOR_ACCOUNT, settingsOf, type Deployment } from "./deployments";
import { proveDeployed } from "./deployed-is-proven";
import { checkDeployed, checkNothingLeft, resolveAccountHost, seedEmulator, setPhase } from "./emulator";
import { judgeRecordedCalls } from "./iam-check";
import { assertNoUnexpectedDrift, planJson } from "./plan-drift";
import { readmeCommands } from "./readme-commands";
import { lastLine, sh, Steps } from "./steps";
import {
  checkMonitorDeployed,
  checkMonitorGone,
  createWatchedVpc,
  monitorSettings,
  WATCHED_CIDR,
} from "./monitor-round-trip";
import { runWorkflowStep } from "./workflow-steps";

const root = join(__dirname, "..", "..");
const port = process.env.LAB_MOTO_PORT ?? "4566";
// HTTPS (moto's self-signed certificate): the buckets' TLS-only policies are then honoured, as on AWS.
// `localhost`, not 127.0.0.1: the provider prefixes S3 Control hosts with the account id, and
// <account>.localhost can be mapped to loopback (resolveAccountHost).
const endpoint = `https://localhost:${port}`;

async function main(): Promise<number> {
  const steps = new Steps();
  // moto's certificate is self-signed, and the emulator listens on loopback only.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  const work = mkdtempSync(join(tmpdir(), "lab-e2e-"));
  const recording = join(work, "calls.jsonl");
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    CI: "true",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_EC2_METADATA_DISABLED: "true",
    TF_IN_AUTOMATION: "1",
    LAB_AWS_ENDPOINT: endpoint,
    LAB_MOTO_SSL: "1",
    LAB_MOTO_RECORD: recording,
    NODE_TLS_REJECT_UNAUTHORIZED: "0",
  };
  let motoStarted = false;

  try {
    const fromRegistry = process.env.LAB_E2E_PROVIDER === "registry";
    const providerOk = await steps.run(
      `AWS provider 6.25.0 ${fromRegistry ? "from the registry" : "in the local filesystem mirror"}`,
      () => {
        // Where the registry answers (GitHub's runners), terraform init fetches the released provider.
        if (fromRegistry) return "terraform init downloads hashicorp/aws 6.25.0";
        const binary = lastLine(sh("bash", ["e2e/build-provider.sh"], baseEnv, root));
        baseEnv.TF_CLI_CONFIG_FILE = lastLine(
          sh("bash", ["e2e/terraformrc.sh", join(work, "terraformrc")], baseEnv, root),
        );
        return binary;
      },
    );
    if (!providerOk) return steps.summary();
    motoStarted = await steps.run(`moto on ${endpoint}`, () =>
      lastLine(sh("bash", ["e2e/start-moto.sh"], baseEnv, root)),
    );
    if (!motoStarted) return steps.summary();
    await steps.run(`resolve ${EMULATOR_ACCOUNT}.localhost to 127.0.0.1 (S3 Control host prefix)`, () =>
      resolveAccountHost(EMULATOR_ACCOUNT),
    );
    sh("npm", ["run", "--silent", "build"], baseEnv, root);

    for (const deployment of DEPLOYMENTS) await runMode(steps, deployment, work, baseEnv);
    await steps.run("every AWS call of the CI roles judged by an IAM policy simulator", () =>
      judgeRecordedCalls(recording, process.env.LAB_E2E_WRITE_IAM_TABLE === "1"),
    );
  } finally {
    if (existsSync(recording)) {
      mkdirSync(join(root, "cdktf.out"), { recursive: true });
      copyFileSync(recording, join(root, "cdktf.out", "e2e-calls.jsonl"));
    }
    if (motoStarted) await steps.run("stop moto", () => sh("bash", ["e2e/stop-moto.sh"], baseEnv, root));
    rmSync(work, { recursive: true, force: true });
  }
  return steps.summary();
}

/** A checkout of the project for one mode: its own cdktf.out and local state files, the same code. */
function checkoutFor(work: string, mode: string): string {
  const checkout = join(work, mode);
  mkdirSync(checkout);
  for (const entry of readdirSync(root)) {
    if (entry === "cdktf.out" || entry === ".git" || /^terraform\..*\.tfstate/.test(entry)) continue;
    symlinkSync(join(root, entry), join(checkout, entry));
  }
  return checkout;
}

async function runMode(steps: Steps, d: Deployment, work: string, baseEnv: NodeJS.ProcessEnv): Promise<void> {
  const checkout = checkoutFor(work, d.mode);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    AWS_REGION: d.region,
    AWS_DEFAULT_REGION: d.region,
    ...settingsOf(d),
  };
  const cdktf = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    sh("npx", ["cdktf", ...args, "--skip-provider-lock"], { ...env, ...extra }, checkout);
  const phase = (name: string) => setPhase(endpoint, `${d.mode}:${name}`);
  const tag = `[${d.mode}]`;

  await steps.run(`${tag} seed what AWS has and moto lacks`, () => seedEmulator(endpoint, d));
  await phase("admin");
  const bootstrapped = await steps.run(`${tag} cdktf deploy state-backend (local state)`, () => {
    cdktf(["deploy", "state-backend", "--auto-approve"]);
    return `bucket ${d.stateBucket} in ${d.stateRegion}`;
  });
  if (!bootstrapped) return;

  let labUp = false;
  if (d.mode === "solo") {
    labUp = await steps.run(`${tag} cdktf deploy lab (S3 backend with use_lockfile)`, () => {
      cdktf(["deploy", "lab", "--auto-approve"]);
      return "deployed";
    });
  } else {
    env.LAB_STATE_BACKEND_IN_BUCKET = "true";
    const moved = await steps.run(`${tag} state-backend state moved into its bucket (--migrate-state)`, () => {
      cdktf(["deploy", "state-backend", "--auto-approve", "--migrate-state"]);
      return stateKey("state-backend", d.suffix);
    });
    if (moved) labUp = await ciApply(steps, d, checkout, env, phase);
  }

  if (labUp) {
    // In team mode the drift check is the plan role's (plan.yml); solo has no CI roles.
    await phase(d.mode === "team" ? "plan-role" : "admin");
    await steps.run(`${tag} terraform plan after apply: no changes but moto's known drift`, () => {
      const dir = join(checkout, "cdktf.out", "stacks", "lab");
      sh("terraform", ["plan", "-input=false", "-no-color", "-lock=false", "-out=after-apply.plan"], env, dir);
      return assertNoUnexpectedDrift(planJson(dir, "after-apply.plan", env));
    });
    await phase("e2e-check");
    await steps.run(`${tag} read back through the AWS SDK`, () => checkDeployed(endpoint, d));
    await steps.run(
      `${tag} what is deployed is what is proven: the deployed filter, alarm and queries run offline`,
      () => proveDeployed(endpoint, d),
    );
  }

  // The monitor stack on a VPC the lab does not own (solo: with the person's own rights).
  if (d.mode === "solo") await monitorRoundTrip(steps, d, cdktf);

  if (d.mode === "team") {
    await phase("apply-role");
    await steps.run(`${tag} destroy.yml: plan -destroy and apply it`, () => {
      for (const step of ["lab: terraform init and plan -destroy", "lab: terraform apply (destroy)"])
        runWorkflowStep(root, checkout, "destroy.yml", "destroy", step, env);
      return "destroyed by the apply role's steps";
    });
  }

  await phase("admin");
  await steps.run(`${tag} README teardown, as written`, () => {
    const commands = readmeCommands(root, "teardown");
    const teardownEnv = { ...env };
    for (const command of commands) {
      if (command.kind === "export") Object.assign(teardownEnv, command.values);
      else sh("npx", [...command.args.slice(1), "--skip-provider-lock"], teardownEnv, checkout);
    }
    return `${commands.length} commands`;
  });
  await steps.run(`${tag} nothing left behind`, () => checkNothingLeft(endpoint, d));
}

/**
 * `monitor` on an existing VPC: a wrong block fails the plan; deploy, read back, destroy; the VPC
 * stays as it was (README: "Watch existing VPCs").
 */
async function monitorRoundTrip(
  steps: Steps,
  d: Deployment,
  cdktf: (args: string[], extra?: NodeJS.ProcessEnv) => string,
): Promise<void> {
  const tag = `[${d.mode}]`;
  let vpcId = "";
  const created = await steps.run(`${tag} an existing VPC to watch (${WATCHED_CIDR}, made as a user's)`, async () => {
    vpcId = await createWatchedVpc(endpoint, d);
    return vpcId;
  });
  if (!created) return;
  // With every flow-log option that is not the walkthrough's (the lab deploys the walkthrough's).
  const watch = monitorSettings(d, vpcId);
  await steps.run(`${tag} monitor: LAB_MONITOR_VPCS with another block fails the plan`, () => {
    try {
      cdktf(["diff", "monitor"], monitorSettings(d, vpcId, "10.99.0.0/16"));
    } catch (error) {
      if (/LAB_MONITOR_VPCS gives/.test(String(error))) return "the VPC's postcondition refused it";
      throw error;
    }
    throw new Error("the plan passed with a block that is not the VPC's");
  });
  const deployed = await steps.run(`${tag} cdktf deploy monitor`, () => {
    cdktf(["deploy", "monitor", "--auto-approve"], watch);
    return "deployed";
  });
  if (deployed) await steps.run(`${tag} monitor: read back`, () => checkMonitorDeployed(endpoint, d, vpcId));
  await steps.run(`${tag} cdktf destroy monitor: the VPC untouched, nothing else left`, () => {
    cdktf(["destroy", "monitor", "--auto-approve"], watch);
    return checkMonitorGone(endpoint, d, vpcId);
  });
}

/** plan.yml's plan of both stacks (plan role), then apply.yml's check and apply (apply role). */
async function ciApply(
  steps: Steps,
  d: Deployment,
  checkout: string,
  env: NodeJS.ProcessEnv,
  phase: (name: string) => Promise<void>,
): Promise<boolean> {
  const tag = `[${d.mode}]`;
  await steps.run(`${tag} synthesize (the workflows' step)`, () => {
    runWorkflowStep(root, checkout, "plan.yml", "plan", "Synthesize", env, { stack: "lab" });
    return "cdktf.out";
  });
  await phase("plan-role");
  for (const stack of ["state-backend", "lab"]) {
    await steps.run(`${tag} plan.yml: terraform plan ${stack} (plan role)`, () => {
      runWorkflowStep(root, checkout, "plan.yml", "plan", "terraform init and plan", env, { stack });
      return "planned";
    });
  }
  const planned = await steps.run(`${tag} apply.yml plan job: state-backend check, lab plan (plan role)`, () => {
    for (const step of [
      "state-backend: check for changes only an administrator can apply",
      "lab: terraform init and plan",
    ])
      runWorkflowStep(root, checkout, "apply.yml", "plan", step, {
        ...env,
        GITHUB_OUTPUT: join(checkout, "github-output"),
      });
    return "tfplan saved";
  });
  if (!planned) return false;
  await phase("apply-role");
  // The apply job runs in a fresh checkout with the saved plan downloaded; here the plan stays where it was.
  return steps.run(`${tag} apply.yml apply job: the saved plan applied (apply role)`, () => {
    runWorkflowStep(root, checkout, "apply.yml", "apply", "lab: terraform apply", env);
    return "applied by the apply role's step";
  });
}

main().then((code) => (process.exitCode = code));
