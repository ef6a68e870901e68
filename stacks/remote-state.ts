import { join } from "node:path";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import type { LabConfig } from "../config/lab-config";
import { withSuffix } from "../config/names";

/** Where a stack's state lives in the state bucket: one key per stack and name suffix. */
export function stateKey(stackName: string, nameSuffix: string): string {
  return `vpc-flow-logs-lab/${nameSuffix || "default"}/${stackName}.tfstate`;
}

export function localStatePath(stackName: string, nameSuffix: string): string {
  return join(process.cwd(), `terraform.${withSuffix(stackName, nameSuffix)}.tfstate`);
}

/**
 * S3 backend with encryption and S3-native locking when a state bucket is configured (and `remote`
 * is not false); local state (terraform.<stack>.tfstate in the project folder) otherwise.
 */
export function configureBackend(stack: TerraformStack, stackName: string, config: LabConfig, remote = true): void {
  if (!config.stateBucket || !remote) {
    // cdktf's default, terraform.<stack>.tfstate in the project folder (an absolute path, so that
    // deleting cdktf.out never deletes state), with the name suffix so that deployments stay apart.
    new LocalBackend(stack, { path: localStatePath(stackName, config.nameSuffix) });
    return;
  }
  const endpoint = config.awsEndpoint;
  new S3Backend(stack, {
    bucket: config.stateBucket,
    key: stateKey(stackName, config.nameSuffix),
    region: config.stateRegion,
    encrypt: true,
    ...(endpoint
      ? {
          endpoints: { s3: endpoint, sts: endpoint, iam: endpoint },
          usePathStyle: true,
          skipCredentialsValidation: true,
          skipMetadataApiCheck: true,
          skipRegionValidation: true,
          skipRequestingAccountId: true,
          insecure: true,
        }
      : {}),
  });
  // cdktf 0.21 has no typed option for S3-native locking (Terraform >= 1.10).
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
