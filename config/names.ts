/**
 * The naming catalogue: every physical name the stacks create, and its ARN, for a deployment's name
 * suffix and custom names. The stacks, the CI roles, the e2e run and the tests take names from here;
 * a test fails when a stack synthesizes a named resource that this catalogue does not list.
 */
import { PING_DENY_ALARM, PING_DENY_FILTER } from "../monitoring/ping-deny";
import { CONTRIBUTOR_RULE_NAMES } from "../monitoring/contributor-rules";
import { FLOW_LOG_SILENCE_NAMES } from "../monitoring/flow-log-silence";
import { SSH_RDP_REJECTED_NAMES } from "../monitoring/ssh-rdp-rejected";
import { DETECTIONS_NAMESPACE } from "../monitoring/detection-metrics";
import { PORT_SCAN_NAMES } from "../monitoring/port-scan";
import { SKIPDATA_NAMES } from "../monitoring/skipdata-share";

/**
 * The walkthrough's names (and, marked, the project's own where the walkthrough names nothing).
 * They are the constructs' defaults and the base of every deployment's names.
 */
export const BASE_NAMES = {
  vpc: "Lab-VPC-Flow-Logs",
  subnet: "Lab-VPC-Flow-Log-Subnet",
  internetGateway: "Lab-VPC-Flow-Log-IG",
  /** Project's own: the subnet's route table (the walkthrough edits the VPC's main table). */
  routeTable: "Lab-VPC-Flow-Log-Routes",
  /** Project's own: the subnet's network ACL (the walkthrough edits the VPC's default ACL). */
  networkAcl: "Lab-VPC-Flow-Log-NACL",
  logGroup: "Lab-VPC-Flow-Log-Group",
  flowLogRole: "flowlogsRole",
  flowLogPolicy: "flowlogsPolicy",
  cloudWatchFlowLog: "VPC-Flow-Log-Cloudwatch",
  s3FlowLog: "Lab-VPC-Flow-Log-S3",
  flowLogBucket: "lab-vpc-flow-log-bucket",
  securityGroup: "Lab-SSH",
  instance: "Lab-VPC-Flow-Log-Instance",
  /** Project's own: the instance's role and instance profile. */
  instanceRole: "Lab-VPC-Flow-Log-Instance-Role",
  /** Project's own: the customer-managed key of the log group and the alarm topic. */
  keyAlias: "alias/Lab-VPC-Flow-Logs",
  alarmTopic: "CloudWatch_Alarms_Ping_Deny",
  metricFilter: PING_DENY_FILTER.filterName,
  metricNamespace: PING_DENY_FILTER.metricNamespace,
  alarm: PING_DENY_ALARM.alarmName,
  /** Project's own: the ssh-rdp-rejected detection's filter, metric namespace and alarm. */
  sshRdpMetricFilter: SSH_RDP_REJECTED_NAMES.filterName,
  detectionNamespace: DETECTIONS_NAMESPACE,
  sshRdpAlarm: SSH_RDP_REJECTED_NAMES.alarmName,
  /** Project's own: the flow-log-silence detection's alarm (on the log group's AWS/Logs metric). */
  flowLogSilenceAlarm: FLOW_LOG_SILENCE_NAMES.alarmName,
  /** Project's own: the flow-log-skipdata detection's filter and alarm (its metric in the detections' namespace). */
  skipDataMetricFilter: SKIPDATA_NAMES.filterName,
  recordsMetricFilter: SKIPDATA_NAMES.recordsFilterName,
  skipDataAlarm: SKIPDATA_NAMES.alarmName,
  /** Project's own: the Contributor Insights rules on the flow-log group. */
  topTalkersRule: CONTRIBUTOR_RULE_NAMES.topTalkers,
  rejectedTcpRule: CONTRIBUTOR_RULE_NAMES.rejectedTcp,
  /** Project's own: the port-scan detection's rules and alarm. */
  portScanPortsRule: PORT_SCAN_NAMES.portsRuleName,
  portScanSourcesRule: PORT_SCAN_NAMES.sourcesRuleName,
  portScanAlarm: PORT_SCAN_NAMES.alarmName,
  /** Project's own: the folder of the saved Logs Insights queries (`<folder>/<query>`). */
  insightsQueryFolder: "Lab-VPC-Flow-Logs",
  /** Project's own: the CloudWatch dashboard of the detections. */
  dashboard: "Lab-VPC-Flow-Log-Monitoring",
  /** Project's own: Glue database (underscore separator: Athena names), table and Athena workgroup. */
  glueDatabase: "lab",
  glueTable: "vpc_flow_log",
  athenaWorkgroup: "lab-vpc-flow-logs",
  /** Project's own: the state bucket's generated-name prefix and the folder of the state keys. */
  stateBucketPrefix: "lab-tfstate",
  stateKeyFolder: "vpc-flow-logs-lab",
  /** Project's own: the CI roles and the permissions boundary of the roles CI creates. */
  ciPlanRole: "lab-ci-plan",
  ciApplyRole: "lab-ci-apply",
  /** Policies of the CI roles: configuration reads (both roles) and the lab's writes (apply role). */
  ciReadPolicy: "lab-ci-read",
  ciWriteNetworkPolicy: "lab-ci-write-network",
  ciWriteIdentityPolicy: "lab-ci-write-identity",
  ciWriteServicesPolicy: "lab-ci-write-services",
  ciBoundary: "lab-ci-boundary",
} as const;

/** S3 bucket names are at most 63 characters. */
export const MAX_BUCKET_NAME = 63;

/** Appends the deployment's name suffix, so that two deployments can share one account. */
export function withSuffix(name: string, suffix: string, separator = "-"): string {
  return suffix ? `${name}${separator}${suffix}` : name;
}

/** What names depend on: the settings that change them. */
export interface NameSettings {
  readonly nameSuffix: string;
  /** Exact flow-log bucket name (LAB_FLOW_LOG_BUCKET); unset: the account-and-region name. */
  readonly flowLogBucket?: string;
}

/** Where the names live: partition, lab region and account (literals, or Terraform references). */
export interface AccountScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** Physical names of one deployment. */
export type LabNames = { readonly [K in Exclude<keyof typeof BASE_NAMES, "stateKeyFolder">]: string } & {
  readonly flowLogBucket: string;
};

/**
 * Every name of one deployment. The default flow-log bucket name holds the account id and region, so
 * it is globally unique, known before it exists (the CI roles name it exactly), and stable across applies.
 */
export function labNames(settings: NameSettings, scope: Pick<AccountScope, "region" | "accountId">): LabNames {
  const s = settings.nameSuffix;
  const named = Object.fromEntries(
    Object.entries(BASE_NAMES)
      .filter(([key]) => key !== "stateKeyFolder")
      .map(([key, base]) => [key, withSuffix(base, s)]),
  ) as Record<keyof LabNames, string>;
  return {
    ...named,
    glueDatabase: withSuffix(BASE_NAMES.glueDatabase, s, "_"),
    // The table lives in the deployment's own database: no suffix.
    glueTable: BASE_NAMES.glueTable,
    // The prefix of a name Terraform completes (bucket_prefix), when LAB_STATE_BUCKET is not set.
    stateBucketPrefix: `${withSuffix(BASE_NAMES.stateBucketPrefix, s)}-`,
    flowLogBucket:
      settings.flowLogBucket ?? withSuffix(`${BASE_NAMES.flowLogBucket}-${scope.accountId}-${scope.region}`, s),
  };
}

/** The monitor stack's suffix: the deployment's, then `mon`, so that its names never meet the lab's. */
export function monitorSuffix(nameSuffix: string): string {
  return withSuffix(nameSuffix, "mon").replace(/^-/, "");
}

export interface MonitorNames {
  /** What the monitor stack shares between the VPCs it watches: key, topic, bucket, Athena. */
  readonly shared: LabNames;
  /** A watched VPC's own: its log group, role, flow logs, detections, rules, queries, dashboard. */
  ofVpc(vpcId: string): LabNames;
}

/** Every name of one deployment's monitor stack: the lab's names, with `mon` (and the VPC's id) appended. */
export function monitorNames(
  settings: Pick<NameSettings, "nameSuffix">,
  scope: Pick<AccountScope, "region" | "accountId">,
): MonitorNames {
  const suffix = monitorSuffix(settings.nameSuffix);
  const shared = labNames({ nameSuffix: suffix }, scope);
  return {
    // Glue and Athena take no hyphen in a database name.
    shared: { ...shared, glueDatabase: withSuffix(BASE_NAMES.glueDatabase, suffix.replace(/-/g, "_"), "_") },
    ofVpc: (vpcId) => labNames({ nameSuffix: `${suffix}-${vpcId}` }, scope),
  };
}

/** Length of the default flow-log bucket name for a region and suffix (account ids have 12 digits). */
export function defaultFlowLogBucketLength(region: string, nameSuffix: string): number {
  return labNames({ nameSuffix }, { region, accountId: "0".repeat(12) }).flowLogBucket.length;
}

/** The key of a stack's state in the state bucket: one key per stack and name suffix. */
export function stateKey(stackName: string, nameSuffix: string): string {
  return `${BASE_NAMES.stateKeyFolder}/${nameSuffix || "default"}/${stackName}.tfstate`;
}

/** The lock object that S3-native locking (use_lockfile) writes beside a state key. */
export function lockKey(stackName: string, nameSuffix: string): string {
  return `${stateKey(stackName, nameSuffix)}.tflock`;
}

/** Every alarm of one deployment (the CI roles manage them, the e2e run reads them back). */
export function labAlarmNames(names: LabNames): string[] {
  return [names.alarm, names.sshRdpAlarm, names.flowLogSilenceAlarm, names.skipDataAlarm, names.portScanAlarm];
}

/** Every metric filter of one deployment (on its flow-log group). */
export function labMetricFilterNames(names: LabNames): string[] {
  return [names.metricFilter, names.sshRdpMetricFilter, names.skipDataMetricFilter, names.recordsMetricFilter];
}

/** Every Contributor Insights rule of one deployment. */
export function labInsightRuleNames(names: LabNames): string[] {
  return [names.topTalkersRule, names.rejectedTcpRule, names.portScanPortsRule, names.portScanSourcesRule];
}

/** Public SSM parameters that name the latest Amazon Linux AMIs (AWS-owned, no account in the ARN). */
export const AMI_PARAMETER_PATH = "/aws/service/ami-amazon-linux-latest/";

/** The ARNs of one deployment's named resources (patterns where a name is completed by AWS). */
export function labArns(names: LabNames, scope: AccountScope) {
  const { partition: p, region: r, accountId: a } = scope;
  const logGroup = `arn:${p}:logs:${r}:${a}:log-group:${names.logGroup}`;
  const bucket = `arn:${p}:s3:::${names.flowLogBucket}`;
  return {
    logGroup,
    /** Log streams of the group (CloudWatch Logs appends `:*` for them). */
    logGroupStreams: `${logGroup}:*`,
    flowLogRole: `arn:${p}:iam::${a}:role/${names.flowLogRole}`,
    flowLogPolicy: `arn:${p}:iam::${a}:policy/${names.flowLogPolicy}`,
    instanceRole: `arn:${p}:iam::${a}:role/${names.instanceRole}`,
    instanceProfile: `arn:${p}:iam::${a}:instance-profile/${names.instanceRole}`,
    ciBoundary: `arn:${p}:iam::${a}:policy/${names.ciBoundary}`,
    ciReadPolicy: `arn:${p}:iam::${a}:policy/${names.ciReadPolicy}`,
    ciWriteNetworkPolicy: `arn:${p}:iam::${a}:policy/${names.ciWriteNetworkPolicy}`,
    ciWriteIdentityPolicy: `arn:${p}:iam::${a}:policy/${names.ciWriteIdentityPolicy}`,
    ciWriteServicesPolicy: `arn:${p}:iam::${a}:policy/${names.ciWriteServicesPolicy}`,
    ciPlanRole: `arn:${p}:iam::${a}:role/${names.ciPlanRole}`,
    ciApplyRole: `arn:${p}:iam::${a}:role/${names.ciApplyRole}`,
    keyAlias: `arn:${p}:kms:${r}:${a}:${names.keyAlias}`,
    alarmTopic: `arn:${p}:sns:${r}:${a}:${names.alarmTopic}`,
    alarm: `arn:${p}:cloudwatch:${r}:${a}:alarm:${names.alarm}`,
    sshRdpAlarm: `arn:${p}:cloudwatch:${r}:${a}:alarm:${names.sshRdpAlarm}`,
    flowLogSilenceAlarm: `arn:${p}:cloudwatch:${r}:${a}:alarm:${names.flowLogSilenceAlarm}`,
    alarms: labAlarmNames(names).map((alarm) => `arn:${p}:cloudwatch:${r}:${a}:alarm:${alarm}`),
    // Dashboards are global: no region in their ARN.
    dashboard: `arn:${p}:cloudwatch::${a}:dashboard/${names.dashboard}`,
    contributorRules: labInsightRuleNames(names).map((rule) => `arn:${p}:cloudwatch:${r}:${a}:insight-rule/${rule}`),
    flowLogBucket: bucket,
    flowLogBucketObjects: `${bucket}/*`,
    glueCatalog: `arn:${p}:glue:${r}:${a}:catalog`,
    glueDatabase: `arn:${p}:glue:${r}:${a}:database/${names.glueDatabase}`,
    glueTable: `arn:${p}:glue:${r}:${a}:table/${names.glueDatabase}/${names.glueTable}`,
    athenaWorkgroup: `arn:${p}:athena:${r}:${a}:workgroup/${names.athenaWorkgroup}`,
    // Public parameters have no account in their ARN; no account can create parameters under /aws/.
    amiParameters: `arn:${p}:ssm:${r}:*:parameter${AMI_PARAMETER_PATH}*`,
  };
}

export type LabArns = ReturnType<typeof labArns>;
