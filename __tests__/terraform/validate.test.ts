/**
 * The Terraform tier: `terraform init` + `terraform validate` on the synthesized stacks with the real
 * AWS provider schema. It runs where a terraform binary and the AWS provider's filesystem mirror
 * (e2e/build-provider.sh) exist, and otherwise says that it was skipped and why.
 * (toPlanSuccessfully needs an AWS API: `npm run e2e` plans against moto.)
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { configFrom } from "../helpers";
import { LabStack } from "../../stacks/lab-stack";
import { MonitorStack } from "../../stacks/monitor-stack";
import { StateBackendStack } from "../../stacks/state-backend-stack";

const cacheDir = process.env.LAB_CACHE_DIR ?? join(homedir(), ".cache", "vpc-flow-logs-lab");
const mirror = join(cacheDir, "providers");
const providerBinary = join(
  mirror,
  "registry.terraform.io/hashicorp/aws/6.25.0/linux_amd64/terraform-provider-aws_v6.25.0",
);
const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });

const missing = [
  ...(terraform.status === 0 ? [] : ["no terraform binary on PATH"]),
  ...(existsSync(providerBinary) ? [] : [`no AWS provider in ${mirror} (build it with e2e/build-provider.sh)`]),
];

if (missing.length > 0) {
  console.warn(`SKIPPED: terraform validate tier (${missing.join("; ")})`);
} else {
  // Install the provider from the local mirror only (this machine has no registry). No plugin cache: a
  // rebuilt provider must never meet a stale cached copy.
  const cliConfig = join(tmpdir(), "lab-validate.tfrc");
  writeFileSync(
    cliConfig,
    `disable_checkpoint = true\nprovider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  process.env.TF_CLI_CONFIG_FILE = cliConfig;
}

const describeIfTerraform = missing.length === 0 ? describe : describe.skip;

describeIfTerraform("terraform validate with the AWS provider", () => {
  jest.setTimeout(120_000);

  test("lab stack (all options on)", () => {
    const app = Testing.app();
    const stack = new LabStack(
      app,
      "lab",
      configFrom({
        LAB_ALERT_EMAIL: "ops@example.com",
        LAB_SSH_CIDRS: "203.0.113.7/32",
        LAB_SSH_OPEN_TO_WORLD: "true",
        LAB_FLOW_LOG_FORMAT: "extended",
        LAB_FLOW_LOG_FILE_FORMAT: "parquet",
        LAB_FLOW_LOG_HIVE_PARTITIONS: "true",
        LAB_FLOW_LOG_PER_HOUR: "true",
      }),
    );
    expect(Testing.fullSynth(stack)).toBeValidTerraform();
  });

  test("monitor stack watching two VPCs", () => {
    const app = Testing.app();
    const stack = new MonitorStack(
      app,
      "monitor",
      configFrom({ LAB_MONITOR_VPCS: "vpc-0a1b2c3d4e5f67890=10.1.0.0/16,vpc-1234abcd=10.2.0.0/16" }),
    );
    expect(Testing.fullSynth(stack)).toBeValidTerraform();
  });

  test("state-backend stack with the GitHub CI roles", () => {
    const app = Testing.app();
    const stack = new StateBackendStack(app, "state-backend", configFrom({ LAB_GITHUB_REPOSITORY: "example/lab" }));
    expect(Testing.fullSynth(stack)).toBeValidTerraform();
  });
});
