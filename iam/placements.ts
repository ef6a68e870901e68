/** Where a configuration puts things, for the IAM table's templates and the simulations. */
import { loadConfig } from "../config/lab-config";
import { PROJECT_TAG } from "../constructs/project-tag";
import { EMULATOR_ACCOUNT, settingsOf, TEAM } from "../e2e/deployments";
import type { Placement } from "./call-table";

export function placementOf(env: Readonly<Record<string, string>>, accountId: string, partition = "aws"): Placement {
  const config = loadConfig(env).config;
  if (!config.stateBucket) throw new Error("placementOf: LAB_STATE_BUCKET must be set (the CI roles need it)");
  return {
    partition,
    accountId,
    region: config.region,
    nameSuffix: config.nameSuffix,
    flowLogBucket: config.flowLogBucket,
    stateBucket: config.stateBucket,
    projectTag: PROJECT_TAG,
  };
}

/** The emulator run's team deployment, where the table's calls were recorded. */
export const E2E_TEAM_PLACEMENT = placementOf(settingsOf(TEAM), EMULATOR_ACCOUNT);
