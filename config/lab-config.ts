/** Reads the LAB_* settings, checks them all at once, and derives the lab's configuration. */
import { cidrContains, type Ipv4Cidr } from "./cidr";
import { defaultFlowLogBucketLength, labNames, MAX_BUCKET_NAME, monitorNames, monitorSuffix } from "./names";
import { Expected, SETTINGS, type SettingName, type SettingSpec, type SettingValues } from "./settings";
import { checkAvailabilityZone } from "./validators";

/**
 * The lab's configuration: the settings' values (types inferred from their parsers in settings.ts),
 * with the two computed defaults filled in:
 * - availabilityZone: `<region>a` when LAB_AVAILABILITY_ZONE is unset (every region has an `a` zone);
 * - stateRegion: the lab's region when LAB_STATE_REGION is unset.
 */
export type LabConfig = Omit<SettingValues, "availabilityZone" | "stateRegion"> & {
  readonly availabilityZone: string;
  readonly stateRegion: string;
};

export interface LoadedConfig {
  readonly config: LabConfig;
  /** Things that work but a user should know about; printed at synth. */
  readonly warnings: readonly string[];
}

/** Every problem found in the settings, one line each, so the user can fix them all in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid lab configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;
type Parsed = { -readonly [K in SettingName]?: SettingValues[K] };

export function describeProblem(env: string, raw: string, expected: string): string {
  return `${env}: got ${JSON.stringify(raw)}, expected ${expected}`;
}

export function loadConfig(env: Env = process.env): LoadedConfig {
  const problems: string[] = [];
  const parsed: Parsed = {};
  const raws: Partial<Record<SettingName, string>> = {};

  for (const [name, spec] of Object.entries(SETTINGS) as [SettingName, SettingSpec<unknown>][]) {
    const given = env[spec.env];
    const raw = given !== undefined && given.trim() !== "" ? given.trim() : spec.default;
    if (raw === undefined) continue;
    raws[name] = raw;
    const value = spec.parse(raw);
    if (value instanceof Expected) problems.push(describeProblem(spec.env, raw, value.text));
    else (parsed as Record<string, unknown>)[name] = value;
  }
  const problem = (name: SettingName, expected: string) =>
    problems.push(describeProblem(SETTINGS[name].env, raws[name] ?? "", expected));

  const region = parsed.region;
  const availabilityZone = raws.availabilityZone ?? (region && `${region}a`);
  if (region !== undefined && availabilityZone !== undefined) {
    const wrongZone = checkAvailabilityZone(availabilityZone, region);
    if (wrongZone) problems.push(describeProblem(SETTINGS.availabilityZone.env, availabilityZone, wrongZone));
  }

  checkNetwork(parsed.vpcCidr, parsed.subnetCidr, problem);

  if ((parsed.sshCidrs ?? []).includes("0.0.0.0/0") && parsed.sshOpenToWorld !== true) {
    problem(
      "sshCidrs",
      `narrower blocks than 0.0.0.0/0; to open SSH to the whole internet set ${SETTINGS.sshOpenToWorld.env}=true instead`,
    );
  }

  if (parsed.stateBackendInBucket === true && parsed.stateBucket === undefined) {
    problem(
      "stateBackendInBucket",
      `false while ${SETTINGS.stateBucket.env} is not set (there is no bucket to keep the state in)`,
    );
  }

  if (region !== undefined && parsed.nameSuffix !== undefined && parsed.flowLogBucket === undefined) {
    const length = defaultFlowLogBucketLength(region, parsed.nameSuffix);
    if (length > MAX_BUCKET_NAME) {
      problem(
        "nameSuffix",
        `a shorter suffix: in ${region} the flow-log bucket's name would be ${length} characters (S3 allows ${MAX_BUCKET_NAME}); or set ${SETTINGS.flowLogBucket.env}`,
      );
    }
  }

  if (region !== undefined && parsed.nameSuffix !== undefined && (parsed.monitorVpcs ?? []).length > 0) {
    const length = defaultFlowLogBucketLength(region, monitorSuffix(parsed.nameSuffix));
    if (length > MAX_BUCKET_NAME)
      problem(
        "monitorVpcs",
        `a shorter ${SETTINGS.nameSuffix.env} with it: in ${region} the monitor stack's flow-log bucket name would be ${length} characters (S3 allows ${MAX_BUCKET_NAME})`,
      );
  }

  checkStateBucketApart(parsed, region, problem);

  if (problems.length > 0) throw new ConfigError(problems);

  const config = complete({ ...parsed, availabilityZone, stateRegion: parsed.stateRegion ?? region });
  return { config, warnings: warningsFor(config) };
}

function checkNetwork(
  vpc: Ipv4Cidr | undefined,
  subnet: Ipv4Cidr | undefined,
  problem: (name: SettingName, expected: string) => void,
): void {
  if (vpc && (vpc.prefix < 16 || vpc.prefix > 28))
    problem("vpcCidr", "a prefix length from /16 to /28 (the VPC limits)");
  if (subnet && (subnet.prefix < 16 || subnet.prefix > 28)) {
    problem("subnetCidr", "a prefix length from /16 to /28 (the subnet limits)");
  } else if (vpc && subnet && !cidrContains(vpc, subnet)) {
    problem("subnetCidr", `a block inside the VPC block ${vpc.text} (${SETTINGS.vpcCidr.env})`);
  }
}

/**
 * The state bucket must not be one of the stacks' flow-log buckets: the lab would manage the bucket
 * that holds its own state, and `cdktf destroy` empties and deletes a flow-log bucket (force_destroy).
 * A default flow-log name holds the account id, unknown here: any 12 digits match it.
 */
function checkStateBucketApart(
  parsed: Parsed,
  region: string | undefined,
  problem: (name: SettingName, expected: string) => void,
): void {
  const state = parsed.stateBucket;
  if (state === undefined || region === undefined || parsed.nameSuffix === undefined) return;
  const ACCOUNT = "000000000000";
  const scope = { region, accountId: ACCOUNT };
  const nameOf = (name: string) =>
    new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(ACCOUNT, "[0-9]{12}")}$`);
  const buckets = [
    {
      name: labNames({ nameSuffix: parsed.nameSuffix, flowLogBucket: parsed.flowLogBucket }, scope).flowLogBucket,
      of: "the lab's flow-log bucket",
    },
    ...((parsed.monitorVpcs ?? []).length > 0
      ? [
          {
            name: monitorNames({ nameSuffix: parsed.nameSuffix }, scope).shared.flowLogBucket,
            of: "the monitor stack's flow-log bucket",
          },
        ]
      : []),
  ];
  const same = buckets.find((b) => nameOf(b.name).test(state));
  if (same)
    problem(
      "stateBucket",
      `a bucket of its own: it would also be ${same.of}, which \`cdktf destroy\` empties and deletes`,
    );
}

/**
 * The one place where parsed values become a LabConfig: every setting with a default has a value by
 * now (its default was parsed, or the problem was reported), and the computed ones were filled in.
 */
function complete(values: Parsed & { availabilityZone?: string; stateRegion?: string }): LabConfig {
  for (const [name, spec] of Object.entries(SETTINGS) as [SettingName, SettingSpec<unknown>][]) {
    if (spec.default !== undefined && values[name] === undefined) throw new Error(`setting ${name} has no value`);
  }
  if (values.availabilityZone === undefined || values.stateRegion === undefined) {
    throw new Error("the computed settings have no value");
  }
  return values as LabConfig;
}

function warningsFor(config: LabConfig): string[] {
  const warnings: string[] = [];
  if (!config.alertEmail) {
    warnings.push(
      `${SETTINGS.alertEmail.env} is not set: the alarm topic gets no e-mail subscription, so nobody is notified.`,
    );
  }
  if (config.sshOpenToWorld) {
    warnings.push(
      `${SETTINGS.sshOpenToWorld.env}=true: SSH (port 22) is open to 0.0.0.0/0, as in the walkthrough. Do not do this outside a short-lived lab.`,
    );
  }
  if (!config.stateBucket) {
    warnings.push(
      `${SETTINGS.stateBucket.env} is not set: the lab stack keeps its Terraform state in a local file. Bootstrap the state-backend stack and set it (see README).`,
    );
  }
  if (!config.instanceConnect && config.sshCidrs.length === 0 && !config.sshOpenToWorld) {
    warnings.push(
      `${SETTINGS.instanceConnect.env}=false and no ${SETTINGS.sshCidrs.env}: no one can reach the instance over SSH.`,
    );
  }
  if (config.trafficType === "ACCEPT") {
    warnings.push(
      `${SETTINGS.trafficType.env}=ACCEPT: the flow logs hold no rejected traffic, so the alarms on it (ping-deny, ssh-rdp-rejected, port-scan) can never go off.`,
    );
  }
  if (config.trafficType === "REJECT") {
    warnings.push(
      `${SETTINGS.trafficType.env}=REJECT: the flow logs hold rejected traffic only, so the flow-log-silence alarm goes off whenever nothing is rejected for ${config.flowLogSilenceMinutes} minutes.`,
    );
  }
  if (config.amiOs === "al2") {
    warnings.push(`${SETTINGS.amiOs.env}=al2: Amazon Linux 2 reached end of support on 2026-06-30; prefer al2023.`);
  }
  return warnings;
}
