/** The two deployments of the emulator run, and the settings each is run with (one source for run.ts and iam/). */
import { EMULATOR_ACCOUNT } from "./emulator-gaps";

/** One deployment of the emulator run: how it is run and where. */
export interface Deployment {
  readonly mode: "solo" | "team";
  readonly region: string;
  readonly stateRegion: string;
  readonly suffix: string;
  readonly stateBucket: string;
  /** Set: the state-backend stack creates the CI roles, and the lab is applied by their steps. */
  readonly githubRepository?: string;
}

/** Each with its own names, so that one can never see the other's resources. */
export const DEPLOYMENTS: readonly Deployment[] = [
  { mode: "solo", region: "us-east-1", stateRegion: "us-east-1", suffix: "solo", stateBucket: "lab-solo-tfstate" },
  {
    mode: "team",
    // Lab and state in different regions, as a team with a central state bucket has them.
    region: "us-east-1",
    stateRegion: "eu-west-1",
    suffix: "team",
    stateBucket: "lab-team-tfstate",
    githubRepository: "octo-org/vpc-flow-logs-lab",
  },
];

export const TEAM = DEPLOYMENTS.find((d) => d.mode === "team")!;

/** The LAB_* settings of a deployment (without the emulator endpoint). */
export function settingsOf(d: Deployment): Record<string, string> {
  return {
    LAB_REGION: d.region,
    LAB_STATE_REGION: d.stateRegion,
    LAB_NAME_SUFFIX: d.suffix,
    LAB_STATE_BUCKET: d.stateBucket,
    LAB_ALERT_EMAIL: "e2e@example.com",
    LAB_GITHUB_REPOSITORY: d.githubRepository ?? "",
  };
}

export { EMULATOR_ACCOUNT };
