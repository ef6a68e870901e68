/** Reads the LAB_* settings, checks them all at once, and derives the lab's configuration. */
import { cidrContains, parseIpv4Cidr, type Ipv4Cidr } from "./cidr";
import { Expected, SETTINGS, type SettingName, type SettingSpec } from "./settings";
import { checkAvailabilityZone } from "./validators";

export interface LabConfig {
  readonly region: string;
  readonly availabilityZone: string;
  readonly nameSuffix: string;
  readonly vpcCidr: string;
  readonly subnetCidr: string;
  readonly instanceType: string;
  readonly amiOs: "al2023" | "al2";
  readonly alertEmail?: string;
  readonly sshCidrs: readonly string[];
  readonly sshOpenToWorld: boolean;
  readonly instanceConnect: boolean;
  readonly denyIcmpEgress: boolean;
  readonly logRetentionDays: number;
  readonly trafficType: "ALL" | "ACCEPT" | "REJECT";
  readonly aggregationIntervalSeconds: number;
  readonly flowLogBucket?: string;
  readonly flowLogExpirationDays: number;
  readonly queryResultExpirationDays: number;
  readonly stateBucket?: string;
  readonly stateRegion: string;
  readonly stateBackendInBucket: boolean;
  readonly githubRepository?: string;
  readonly githubEnvironment: string;
  readonly githubOidcProviderArn?: string;
  readonly awsEndpoint?: string;
}

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

type Parsed = { -readonly [K in SettingName]?: ReturnType<(typeof SETTINGS)[K]["parse"]> };

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

  const region = parsed.region as string | undefined;
  let availabilityZone = raws.availabilityZone;
  if (region !== undefined) {
    availabilityZone ??= `${region}a`;
    const problem = checkAvailabilityZone(availabilityZone, region);
    if (problem) problems.push(describeProblem(SETTINGS.availabilityZone.env, availabilityZone, problem));
  }

  const vpc = blockOf(parsed.vpcCidr);
  const subnet = blockOf(parsed.subnetCidr);
  if (vpc && (vpc.prefix < 16 || vpc.prefix > 28)) {
    problems.push(describeProblem(SETTINGS.vpcCidr.env, vpc.text, "a prefix length from /16 to /28 (the VPC limits)"));
  }
  if (subnet && (subnet.prefix < 16 || subnet.prefix > 28)) {
    problems.push(
      describeProblem(SETTINGS.subnetCidr.env, subnet.text, "a prefix length from /16 to /28 (the subnet limits)"),
    );
  } else if (vpc && subnet && !cidrContains(vpc, subnet)) {
    problems.push(
      describeProblem(
        SETTINGS.subnetCidr.env,
        subnet.text,
        `a block inside the VPC block ${vpc.text} (${SETTINGS.vpcCidr.env})`,
      ),
    );
  }

  const sshCidrs = (parsed.sshCidrs as string[] | undefined) ?? [];
  if (sshCidrs.includes("0.0.0.0/0") && parsed.sshOpenToWorld !== true) {
    problems.push(
      describeProblem(
        SETTINGS.sshCidrs.env,
        raws.sshCidrs ?? "",
        `narrower blocks than 0.0.0.0/0; to open SSH to the whole internet set ${SETTINGS.sshOpenToWorld.env}=true instead`,
      ),
    );
  }

  if (parsed.stateBackendInBucket === true && parsed.stateBucket === undefined) {
    problems.push(
      describeProblem(
        SETTINGS.stateBackendInBucket.env,
        raws.stateBackendInBucket ?? "",
        `false while ${SETTINGS.stateBucket.env} is not set (there is no bucket to keep the state in)`,
      ),
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const config = {
    ...parsed,
    availabilityZone,
    stateRegion: parsed.stateRegion ?? region,
  } as LabConfig;
  return { config, warnings: warningsFor(config) };
}

function blockOf(value: unknown): Ipv4Cidr | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = parseIpv4Cidr(value);
  return typeof parsed === "string" ? undefined : parsed;
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
  if (config.amiOs === "al2") {
    warnings.push(`${SETTINGS.amiOs.env}=al2: Amazon Linux 2 reached end of support on 2026-06-30; prefer al2023.`);
  }
  return warnings;
}
