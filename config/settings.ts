/**
 * Every user setting of the lab: its environment variable, default (the walkthrough's value),
 * what it accepts, and what it means. The README's configuration table is generated from this list
 * (npm run docs:settings; a test keeps them equal).
 */
import { z } from "zod";
import { AGGREGATION_INTERVALS_SECONDS, AMI_OS, DEFAULTS, INSTANCE_EGRESS, TRAFFIC_TYPES } from "../constructs/options";
import { EXTENDED_FIELDS, FLOW_LOG_FIELDS, FLOW_LOG_FORMATS } from "../monitoring/flow-log-fields";
import { DEFAULT_STORAGE, FLOW_LOG_FILE_FORMATS, logsPrefix, partitionPath } from "../monitoring/flow-log-storage";

/** The daily Hive-compatible layout, to show its prefixes. */
const HIVE = { ...DEFAULT_STORAGE, hiveCompatiblePartitions: true };
import { parseIpv4Cidr, type Ipv4Cidr } from "./cidr";
import {
  BOOLEAN_EXPECTED,
  LOG_RETENTION_DAYS,
  checkBucketName,
  checkEmail,
  checkInstanceType,
  checkRegion,
  parseBoolean,
} from "./validators";

/** A check on the raw string: returns the parsed value, or an Expected with the text of what was expected. */
export class Expected {
  // The brand keeps values that merely have a `text` (a parsed CIDR block) from typing as an Expected.
  readonly kind = "expected" as const;
  constructor(readonly text: string) {}
}

type Parser<T> = (raw: string) => T | Expected;

export interface SettingSpec<T> {
  readonly env: string;
  readonly description: string;
  /** Raw default; undefined means "not set" (the setting is optional). */
  readonly default?: string;
  /** How the default is shown in docs when it is computed from other settings. */
  readonly defaultDoc?: string;
  readonly parse: Parser<T>;
}

const text: Parser<string> = (raw) => raw;

function fromZod<T>(schema: z.ZodType<T>, expected: string): Parser<T> {
  return (raw) => {
    const result = schema.safeParse(raw);
    return result.success ? result.data : new Expected(expected);
  };
}

function check(fn: (raw: string) => string | undefined): Parser<string> {
  return (raw) => {
    const problem = fn(raw);
    return problem === undefined ? raw : new Expected(problem);
  };
}

const bool: Parser<boolean> = (raw) => parseBoolean(raw) ?? new Expected(BOOLEAN_EXPECTED);

/** An IPv4 CIDR block, parsed once: the checks (prefix limits, containment) use the parsed form. */
const cidr: Parser<Ipv4Cidr> = (raw) => {
  const parsed = parseIpv4Cidr(raw);
  return typeof parsed === "string" ? new Expected(parsed) : parsed;
};

function integerIn<T extends number>(allowed: readonly T[], expected: string): Parser<T> {
  return (raw) => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    return (allowed as readonly number[]).includes(n) ? (n as T) : new Expected(expected);
  };
}

function integerBetween(min: number, max: number): Parser<number> {
  return fromZod(
    z
      .string()
      .regex(/^\d+$/)
      .transform(Number)
      .refine((n) => n >= min && n <= max),
    `a whole number from ${min} to ${max}`,
  );
}

/** The items of a comma-separated setting, trimmed, empty ones dropped. */
const commaItems = (raw: string) =>
  raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const cidrList: Parser<string[]> = (raw) => {
  const items = commaItems(raw);
  for (const item of items) {
    const parsed = parseIpv4Cidr(item);
    if (typeof parsed === "string")
      return new Expected(`a comma-separated list of IPv4 CIDR blocks; "${item}" is not ${parsed}`);
  }
  return items;
};

/** An existing VPC the monitor stack watches: its id and its primary IPv4 block (checked against AWS at plan). */
export interface MonitoredVpc {
  readonly id: string;
  readonly cidr: Ipv4Cidr;
}

/** At most this many VPCs per monitor stack: each adds ~25 resources and a dashboard. */
export const MAX_MONITORED_VPCS = 5;

const MONITORED_VPCS_EXPECTED = `comma-separated vpc-id=CIDR pairs such as vpc-0a1b2c3d4e5f67890=10.1.0.0/16, at most ${MAX_MONITORED_VPCS}`;

const monitoredVpcList: Parser<MonitoredVpc[]> = (raw) => {
  const items = commaItems(raw);
  const vpcs: MonitoredVpc[] = [];
  for (const item of items) {
    const [id, block, ...rest] = item.split("=").map((s) => s.trim());
    if (!/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id ?? "") || block === undefined || rest.length > 0)
      return new Expected(`${MONITORED_VPCS_EXPECTED}; "${item}" is not vpc-<8 or 17 hex digits>=<CIDR>`);
    const cidr = parseIpv4Cidr(block);
    if (typeof cidr === "string")
      return new Expected(`${MONITORED_VPCS_EXPECTED}; in "${item}", ${block} is not ${cidr}`);
    if (cidr.prefix < 16 || cidr.prefix > 28)
      return new Expected(`${MONITORED_VPCS_EXPECTED}; in "${item}", a VPC block is /16 to /28`);
    if (vpcs.some((v) => v.id === id)) return new Expected(`${MONITORED_VPCS_EXPECTED}; ${id} is given twice`);
    vpcs.push({ id, cidr });
  }
  if (vpcs.length > MAX_MONITORED_VPCS) return new Expected(`${MONITORED_VPCS_EXPECTED} (got ${vpcs.length})`);
  return vpcs;
};

export const SETTINGS = {
  region: {
    env: "LAB_REGION",
    default: "us-east-1",
    description: "AWS region of the lab.",
    parse: check(checkRegion),
  },
  availabilityZone: {
    env: "LAB_AVAILABILITY_ZONE",
    defaultDoc: "`<region>a` (us-east-1a)",
    description: "Availability zone of the subnet and instance; must belong to the region.",
    parse: text,
  },
  nameSuffix: {
    env: "LAB_NAME_SUFFIX",
    default: "",
    description:
      "1 to 12 lowercase letters or digits, appended after a hyphen to every resource name (after an underscore to the Glue database) and to the state key, so that two deployments can coexist in one account.",
    parse: fromZod(z.string().regex(/^([a-z0-9]{1,12})?$/), "1 to 12 lowercase letters or digits (or empty)"),
  },
  vpcCidr: {
    env: "LAB_VPC_CIDR",
    default: DEFAULTS.vpcCidr,
    description: "IPv4 CIDR block of the VPC (/16 to /28).",
    parse: cidr,
  },
  subnetCidr: {
    env: "LAB_SUBNET_CIDR",
    default: DEFAULTS.subnetCidr,
    description: "IPv4 CIDR block of the public subnet; must lie inside the VPC block (/16 to /28).",
    parse: cidr,
  },
  instanceType: {
    env: "LAB_INSTANCE_TYPE",
    default: DEFAULTS.instanceType,
    description: "EC2 instance type. Graviton types (t4g.micro, ...) get the arm64 AMI.",
    parse: check(checkInstanceType),
  },
  amiOs: {
    env: "LAB_AMI_OS",
    default: DEFAULTS.amiOs,
    description:
      "Operating system of the instance: `al2023` (Amazon Linux 2023) or `al2` (Amazon Linux 2, end of support 2026-06-30). Resolved through the public SSM parameter.",
    parse: fromZod(z.enum(AMI_OS), AMI_OS.join(" or ")),
  },
  alertEmail: {
    env: "LAB_ALERT_EMAIL",
    description: "E-mail address subscribed to the alarm topic. Unset: no subscription (synth warns).",
    parse: check(checkEmail),
  },
  sshCidrs: {
    env: "LAB_SSH_CIDRS",
    default: "",
    description:
      "Comma-separated IPv4 CIDR blocks allowed to SSH (port 22), in addition to the region's EC2 Instance Connect prefix list.",
    parse: cidrList,
  },
  sshOpenToWorld: {
    env: "LAB_SSH_OPEN_TO_WORLD",
    default: "false",
    description: "Opt-in to the walkthrough's SSH rule from 0.0.0.0/0 (synth warns).",
    parse: bool,
  },
  instanceConnect: {
    env: "LAB_INSTANCE_CONNECT",
    default: "true",
    description: "Allow SSH from the region's EC2 Instance Connect managed prefix list (browser-based connect).",
    parse: bool,
  },
  instanceEgress: {
    env: "LAB_INSTANCE_EGRESS",
    default: DEFAULTS.instanceEgress,
    description:
      "Outbound traffic the instance's security group lets out: `lab` (ICMP for the ping, HTTPS for updates and Session Manager) or `all` (the walkthrough's allow-all).",
    parse: fromZod(z.enum(INSTANCE_EGRESS), INSTANCE_EGRESS.join(" or ")),
  },
  denyIcmpEgress: {
    env: "LAB_DENY_ICMP_EGRESS",
    default: "true",
    description:
      "Add NACL rule 90 that denies outbound ICMP (the walkthrough adds it after watching pings being accepted).",
    parse: bool,
  },
  sshRdpAlarmThreshold: {
    env: "LAB_SSH_RDP_ALARM_THRESHOLD",
    default: String(DEFAULTS.sshRdpAlarmThreshold),
    description:
      "Rejected SSH/RDP connection attempts (TCP 22, 3389) from outside the VPC within 5 minutes that raise the ssh-rdp-rejected alarm (T1110 Brute Force).",
    parse: integerBetween(1, 100000),
  },
  portScanPorts: {
    env: "LAB_PORT_SCAN_PORTS",
    default: String(DEFAULTS.portScanPorts),
    description:
      "Distinct ports of the VPC that one source probes (rejected, from port 1024 or above, to a port below 32768) within 5 minutes that raise the port-scan alarm (T1046 Network Service Discovery).",
    parse: integerBetween(2, 32768),
  },
  skipDataPercent: {
    env: "LAB_SKIPDATA_PERCENT",
    default: String(DEFAULTS.skipDataPercent),
    description:
      "Percent of the flow-log records in 5 minutes that are SKIPDATA (records the flow log skipped) that raise the flow-log-skipdata alarm.",
    parse: integerBetween(1, 100),
  },
  flowLogSilenceMinutes: {
    env: "LAB_FLOW_LOG_SILENCE_MINUTES",
    default: String(DEFAULTS.flowLogSilenceMinutes),
    description:
      "Minutes without a flow-log record in the log group that raise the flow-log-silence alarm (the pipeline stopped); a multiple of 5 (the alarm's periods).",
    parse: fromZod(
      z
        .string()
        .regex(/^\d+$/)
        .transform(Number)
        .refine((n) => n % 5 === 0 && n >= 10 && n <= 1440),
      "a multiple of 5 from 10 to 1440 (CloudWatch evaluates an alarm over at most a day)",
    ),
  },
  monitorVpcs: {
    env: "LAB_MONITOR_VPCS",
    default: "",
    description: `Existing VPCs for the \`monitor\` stack to watch, as ${MONITORED_VPCS_EXPECTED} (each VPC's primary IPv4 block, checked against AWS at plan): flow logs to CloudWatch Logs and S3, every detection, the rules, saved queries and a dashboard per VPC, Athena over all of them, without the lab's network or instance. Empty: no monitor stack.`,
    parse: monitoredVpcList,
  },
  logRetentionDays: {
    env: "LAB_LOG_RETENTION_DAYS",
    default: String(DEFAULTS.logRetentionDays),
    description: `Retention of the flow-log log group in days, one of ${LOG_RETENTION_DAYS.join(", ")}; 0 = never expire (the walkthrough's choice).`,
    parse: integerIn(LOG_RETENTION_DAYS, `one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(", ")}`),
  },
  trafficType: {
    env: "LAB_TRAFFIC_TYPE",
    default: DEFAULTS.trafficType,
    description: "Traffic the flow logs capture: ALL, ACCEPT or REJECT.",
    parse: fromZod(z.enum(TRAFFIC_TYPES), `${TRAFFIC_TYPES.slice(0, -1).join(", ")} or ${TRAFFIC_TYPES.at(-1)}`),
  },
  aggregationIntervalSeconds: {
    env: "LAB_AGGREGATION_INTERVAL",
    default: String(DEFAULTS.aggregationIntervalSeconds),
    description: "Maximum aggregation interval of the flow logs in seconds: 60 or 600.",
    parse: integerIn(AGGREGATION_INTERVALS_SECONDS, AGGREGATION_INTERVALS_SECONDS.join(" or ")),
  },
  flowLogFormat: {
    env: "LAB_FLOW_LOG_FORMAT",
    default: DEFAULTS.flowLogFormat,
    description: `Fields of the flow-log records, for both destinations: \`default\` (the walkthrough's ${FLOW_LOG_FIELDS.length} version-2 fields) or \`extended\` (those, then every field of versions 3 to 5: ${EXTENDED_FIELDS.map((f) => f.field).join(", ")}). The Glue table, the metric filters' patterns, the named queries and \`flowlogs detect/replay\` follow (docs/flow-log-formats.md). Changing it replaces the flow logs.`,
    parse: fromZod(z.enum(FLOW_LOG_FORMATS), FLOW_LOG_FORMATS.join(" or ")),
  },
  flowLogFileFormat: {
    env: "LAB_FLOW_LOG_FILE_FORMAT",
    default: DEFAULTS.flowLogFileFormat,
    description:
      "File format of the S3 flow log: `plain-text` (gzip text, the walkthrough's) or `parquet` (Apache Parquet: smaller, and Athena reads only the columns a query names). The Glue table's SerDe follows.",
    parse: fromZod(z.enum(FLOW_LOG_FILE_FORMATS), FLOW_LOG_FILE_FORMATS.join(" or ")),
  },
  flowLogHivePartitions: {
    env: "LAB_FLOW_LOG_HIVE_PARTITIONS",
    default: String(DEFAULTS.flowLogHivePartitions),
    description: `Hive-compatible S3 prefixes (\`${logsPrefix(HIVE, "<a>", "<r>")}/${partitionPath(HIVE, (c) => `<${c[0]}>`)}/\`); the bucket policy, the Glue table's location and partition projection follow.`,
    parse: bool,
  },
  flowLogPerHour: {
    env: "LAB_FLOW_LOG_PER_HOUR",
    default: String(DEFAULTS.flowLogPerHour),
    description:
      "One S3 folder per hour instead of per day; the Glue table gains the partition column `hour` (projected 00 to 23, FlowLogAthena).",
    parse: bool,
  },
  flowLogBucket: {
    env: "LAB_FLOW_LOG_BUCKET",
    defaultDoc: "`lab-vpc-flow-log-bucket-<account>-<region>[-<suffix>]`",
    description:
      "Exact name of the flow-log bucket (globally unique). Unset: the walkthrough's name with the account id, region and suffix.",
    parse: check(checkBucketName),
  },
  flowLogExpirationDays: {
    env: "LAB_FLOW_LOG_EXPIRATION_DAYS",
    default: String(DEFAULTS.flowLogExpirationDays),
    description: "Days after which flow-log objects in S3 expire.",
    parse: integerBetween(1, 36500),
  },
  queryResultExpirationDays: {
    env: "LAB_QUERY_RESULT_EXPIRATION_DAYS",
    default: String(DEFAULTS.queryResultExpirationDays),
    description: "Days after which Athena query results under AthenaQueryResults/ expire.",
    parse: integerBetween(1, 36500),
  },
  stateBucket: {
    env: "LAB_STATE_BUCKET",
    description:
      "S3 bucket for Terraform state. The state-backend stack creates it (unset: a generated `lab-tfstate-` name, shown in its output); the lab stack keeps its state in it (unset: local state, synth warns).",
    parse: check(checkBucketName),
  },
  stateRegion: {
    env: "LAB_STATE_REGION",
    defaultDoc: "the lab's region",
    description: "Region of the state bucket.",
    parse: check(checkRegion),
  },
  stateBackendInBucket: {
    env: "LAB_STATE_BACKEND_IN_BUCKET",
    default: "false",
    description:
      "Keep the state-backend stack's own state in the state bucket too (after bootstrapping; deploy it once with `--migrate-state`). Needs LAB_STATE_BUCKET.",
    parse: bool,
  },
  stateBucketForceDestroy: {
    env: "LAB_STATE_BUCKET_FORCE_DESTROY",
    default: "false",
    description:
      "Teardown only: let `cdktf destroy state-backend` delete the state bucket with every state version in it (README, Tear down).",
    parse: bool,
  },
  githubRepository: {
    env: "LAB_GITHUB_REPOSITORY",
    description:
      "`owner/name` of a GitHub repository: the state-backend stack then also creates the GitHub OIDC provider and the CI plan and apply roles.",
    parse: fromZod(
      z.string().regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/),
      "a GitHub repository as owner/name",
    ),
  },
  githubRepositoryId: {
    env: "LAB_GITHUB_REPOSITORY_ID",
    description:
      "Numeric id of the GitHub repository (`gh api repos/<owner>/<name> --jq .id`). Set: the CI roles trust only the customized OIDC subject with the repository id and the workflow file (docs/ci.md); unset: GitHub's default subject.",
    parse: fromZod(z.string().regex(/^[1-9]\d{0,19}$/), "a GitHub repository id (digits)"),
  },
  githubEnvironment: {
    env: "LAB_GITHUB_ENVIRONMENT",
    default: "production",
    description: "Protected GitHub environment whose jobs may assume the CI apply role.",
    parse: fromZod(z.string().regex(/^[A-Za-z0-9._-]{1,255}$/), "a GitHub environment name (letters, digits, . _ -)"),
  },
  githubOidcProviderArn: {
    env: "LAB_GITHUB_OIDC_PROVIDER_ARN",
    description:
      "ARN of the account's existing GitHub OIDC provider, to reuse instead of creating one (one per account).",
    parse: fromZod(
      z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/),
      "an IAM OIDC provider ARN such as arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    ),
  },
  awsEndpoint: {
    env: "LAB_AWS_ENDPOINT",
    description:
      "Send every AWS call (provider and S3 backend) to this endpoint, e.g. http://127.0.0.1:4566 for moto or LocalStack. Test use only: it also turns off credential checks.",
    parse: fromZod(z.url({ protocol: /^https?$/ }), "an http(s) URL such as http://127.0.0.1:4566"),
  },
} satisfies Record<string, SettingSpec<unknown>>;

export type SettingName = keyof typeof SETTINGS;

/** The parsed value of a setting: what its parser returns when the raw value is good. */
export type SettingValue<K extends SettingName> = Exclude<ReturnType<(typeof SETTINGS)[K]["parse"]>, Expected>;

type WithDefault = { [K in SettingName]: (typeof SETTINGS)[K] extends { default: string } ? K : never }[SettingName];

/** Every setting's value: those with a default are always there, the others may be unset. */
export type SettingValues = { readonly [K in WithDefault]: SettingValue<K> } & {
  readonly [K in Exclude<SettingName, WithDefault>]?: SettingValue<K>;
};
