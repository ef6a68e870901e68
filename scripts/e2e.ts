/**
 * `npm run e2e`: deploy, plan and destroy for real, with Terraform and the AWS provider, against moto
 * (a local AWS API emulator on 127.0.0.1). Steps: provider (built once per machine from the Go module
 * proxy), moto, `cdktf deploy state-backend`, `cdktf deploy lab` (S3 backend + S3-native locking on moto),
 * `terraform plan` shows no changes, the resources read back through the AWS SDK, `cdktf destroy` of both
 * stacks, nothing left, moto stopped. Prints a step-by-step summary with times.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { checkDeployed, checkNothingLeft, emptyBucket, seedEmulator, type AwsTarget } from "./e2e-aws";

const root = join(__dirname, "..", "..");
const cacheDir = process.env.LAB_CACHE_DIR ?? join(homedir(), ".cache", "vpc-flow-logs-lab");
const port = process.env.LAB_MOTO_PORT ?? "4566";
const endpoint = `http://127.0.0.1:${port}`;
const suffix = "e2e";
const stateBucket = "lab-e2e-tfstate";

interface StepResult {
  readonly step: string;
  readonly seconds: number;
  readonly ok: boolean;
  readonly detail: string;
}
const results: StepResult[] = [];

async function step(name: string, run: () => Promise<string> | string): Promise<boolean> {
  const started = Date.now();
  process.stdout.write(`\n=== ${name}\n`);
  try {
    const detail = await run();
    results.push({ step: name, seconds: (Date.now() - started) / 1000, ok: true, detail });
    return true;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    results.push({ step: name, seconds: (Date.now() - started) / 1000, ok: false, detail });
    process.stdout.write(`FAILED: ${detail}\n`);
    return false;
  }
}

/** Runs a command with output shown; throws with its tail when it fails. */
function sh(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = root): string {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 1 << 28 });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  process.stdout.write(output.split("\n").slice(-40).join("\n") + "\n");
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status}:\n${output.split("\n").slice(-25).join("\n")}`,
    );
  }
  return output;
}

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), "lab-e2e-"));
  const pluginCache = join(cacheDir, "plugin-cache");
  mkdirSync(pluginCache, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    CI: "true",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
    TF_PLUGIN_CACHE_DIR: pluginCache,
    TF_IN_AUTOMATION: "1",
    LAB_AWS_ENDPOINT: endpoint,
    LAB_NAME_SUFFIX: suffix,
    LAB_STATE_BUCKET: stateBucket,
    LAB_ALERT_EMAIL: "e2e@example.com",
    LAB_STATE_BACKEND_IN_BUCKET: "false",
  };
  const target: AwsTarget = { endpoint, region: "us-east-1", suffix, stateBucket };
  let motoStarted = false;

  try {
    const providerOk = await step("AWS provider 6.25.0 in the local filesystem mirror", () => {
      const out = sh("bash", ["e2e/build-provider.sh"], env).trim().split("\n").pop() ?? "";
      env.TF_CLI_CONFIG_FILE = sh("bash", ["e2e/terraformrc.sh", join(work, "terraformrc")], env)
        .trim()
        .split("\n")
        .pop();
      return out;
    });
    if (!providerOk) return summary();

    motoStarted = await step(
      `moto on ${endpoint}`,
      () => sh("bash", ["e2e/start-moto.sh"], env).trim().split("\n").pop() ?? "",
    );
    if (!motoStarted) return summary();

    await step("seed what AWS has and moto lacks", () => seedEmulator(target));
    sh("npm", ["run", "--silent", "build"], env);

    const bootstrapped = await step("cdktf deploy state-backend (local state)", () => {
      sh("npx", ["cdktf", "deploy", "state-backend", "--auto-approve"], env);
      return `bucket ${stateBucket}`;
    });
    if (!bootstrapped) return summary();

    const deployed = await step("cdktf deploy lab (S3 backend with use_lockfile on moto)", () => {
      sh("npx", ["cdktf", "deploy", "lab", "--auto-approve"], env);
      return "applied";
    });

    if (deployed) {
      await step("terraform plan after apply shows no changes", () => {
        const plan = spawnSync("terraform", ["plan", "-detailed-exitcode", "-no-color", "-input=false"], {
          cwd: join(root, "cdktf.out", "stacks", "lab"),
          env,
          encoding: "utf8",
          maxBuffer: 1 << 28,
        });
        const text = `${plan.stdout}${plan.stderr}`;
        if (plan.status === 0) return "No changes.";
        const changes = text.split("\n").filter((l) => /^\s+# .* (will|must) be/.test(l));
        throw new Error(`plan exit ${plan.status}: ${changes.join("; ") || text.split("\n").slice(-15).join("\n")}`);
      });
      await step("read back through the AWS SDK", () => checkDeployed(target));
    }

    await step("cdktf destroy lab", () => {
      sh("npx", ["cdktf", "destroy", "lab", "--auto-approve"], env);
      return "destroyed";
    });
    await step("empty the versioned state bucket (as the README tells users)", () => emptyBucket(target, stateBucket));
    await step("cdktf destroy state-backend", () => {
      sh("npx", ["cdktf", "destroy", "state-backend", "--auto-approve"], env);
      return "destroyed";
    });
    await step("nothing left behind", () => checkNothingLeft(target));
  } finally {
    if (motoStarted) await step("stop moto", () => sh("bash", ["e2e/stop-moto.sh"], env));
    rmSync(work, { recursive: true, force: true });
    for (const file of [
      `terraform.state-backend-${suffix}.tfstate`,
      `terraform.state-backend-${suffix}.tfstate.backup`,
    ]) {
      if (existsSync(join(root, file))) rmSync(join(root, file));
    }
  }
  return summary();
}

function summary(): number {
  process.stdout.write("\n=== e2e summary\n");
  for (const r of results) {
    process.stdout.write(
      `${r.ok ? "PASS" : "FAIL"}  ${r.seconds.toFixed(1).padStart(6)} s  ${r.step}${r.ok && r.detail ? `: ${r.detail.split("\n")[0]}` : ""}\n`,
    );
  }
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => (process.exitCode = code));
