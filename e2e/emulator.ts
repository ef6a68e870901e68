/** The AWS side of `npm run e2e`: seeding the emulator, reading the lab back, checking that nothing is left. */
import { appendFileSync, readFileSync } from "node:fs";
import {
  AthenaClient,
  GetNamedQueryCommand,
  ListNamedQueriesCommand,
  ListWorkGroupsCommand,
} from "@aws-sdk/client-athena";
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  DescribeInsightRulesCommand,
  GetDashboardCommand,
  ListDashboardsCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  DescribeQueryDefinitionsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateManagedPrefixListCommand,
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNetworkAclsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { GetDatabasesCommand, GetTableCommand, GlueClient } from "@aws-sdk/client-glue";
import { IAMClient, ListPoliciesCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { KMSClient, ListAliasesCommand } from "@aws-sdk/client-kms";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import {
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  SNSClient,
} from "@aws-sdk/client-sns";
import { labAlarmNames, labInsightRuleNames, labMetricFilterNames, labNames, type LabNames } from "../config/names";
import { REJECTED_TCP_RULE, TOP_TALKERS_RULE } from "../monitoring/contributor-rules";
import { flowLogFields, flowLogFormat } from "../monitoring/flow-log-fields";
import { asDestinationOptions, partitionColumns, partitionPath, storageOf } from "../monitoring/flow-log-storage";
import { queriesForColumns } from "../monitoring/named-queries";
import { PING_DENY_ALARM, PING_DENY_FILTER } from "../monitoring/ping-deny";
import { EMULATOR_ACCOUNT, settingsOf, type Deployment } from "./deployments";
import { isDeepStrictEqual } from "node:util";
import { loadConfig } from "../config/lab-config";
import { portScanRules } from "../monitoring/port-scan";
import { insightsQueries } from "../monitoring/insights-queries";

/** The deployment's names, from the naming catalogue (as the stacks name things). */
export function namesOf(d: Deployment): LabNames {
  return labNames({ nameSuffix: d.suffix }, { region: d.region, accountId: EMULATOR_ACCOUNT });
}

/** Tells the emulator's call recorder which role the next calls stand for (e2e/moto_server.py). */
export async function setPhase(endpoint: string, phase: string): Promise<void> {
  const response = await fetch(`${endpoint}/_lab/phase/${encodeURIComponent(phase)}`, { method: "POST" });
  if (!response.ok) throw new Error(`setting the recorder's phase failed: HTTP ${response.status}`);
}

/**
 * The AWS provider sends S3 Control calls (bucket tags) to `<account>.<endpoint host>`. On AWS that is
 * DNS; here a hosts entry maps it to loopback (added once, never removed: it points nowhere else).
 */
export function resolveAccountHost(account: string): string {
  const host = `${account}.localhost`;
  const hosts = readFileSync("/etc/hosts", "utf8");
  if (hosts.split("\n").some((line) => line.trim().split(/\s+/).slice(1).includes(host)))
    return `${host} already in /etc/hosts`;
  appendFileSync("/etc/hosts", `127.0.0.1 ${host}\n`);
  return `added "127.0.0.1 ${host}" to /etc/hosts`;
}

type Sender = { send(command: unknown): Promise<unknown> };

/**
 * A failed call (an emulator gap, say) is recorded with its command's name and answers `{}`, so that
 * one run reports every failed call and check instead of stopping at the first.
 */
function guarded<C>(client: C, errors: string[]): C {
  const sender = client as unknown as Sender;
  const send = sender.send.bind(sender);
  sender.send = async (command: unknown) => {
    try {
      return await send(command);
    } catch (error) {
      const name = (command as { constructor: { name: string } }).constructor.name;
      errors.push(`${name}: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
      return {};
    }
  };
  return client;
}

export function clients(endpoint: string, region: string, errors: string[] = []) {
  const config = {
    region,
    endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  const all = {
    ec2: new EC2Client(config),
    logs: new CloudWatchLogsClient(config),
    cloudwatch: new CloudWatchClient(config),
    sns: new SNSClient(config),
    glue: new GlueClient(config),
    athena: new AthenaClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    iam: new IAMClient(config),
    kms: new KMSClient(config),
  };
  for (const key of Object.keys(all) as (keyof typeof all)[]) guarded(all[key], errors);
  return all;
}

/** Collects failed expectations so that one run reports all of them. */
export class Checks {
  readonly passed: string[] = [];
  readonly failed: string[] = [];
  /** Failed AWS calls, filled by the guarded clients. */
  readonly callErrors: string[] = [];
  expect(what: string, ok: boolean, got?: unknown): void {
    if (ok) this.passed.push(what);
    else this.failed.push(`${what} (got ${JSON.stringify(got)})`);
  }
  result(): string {
    this.failed.push(...this.callErrors.map((e) => `call failed: ${e}`));
    if (this.failed.length > 0)
      throw new Error(
        `${this.failed.length} of ${this.failed.length + this.passed.length} checks failed:\n- ${this.failed.join("\n- ")}`,
      );
    return `${this.passed.length} checks passed`;
  }
}

/**
 * The AWS-managed prefix list of EC2 Instance Connect exists in every real region but not in moto:
 * a customer-managed stand-in with the same name lets the data source resolve (us-east-1's real range).
 */
export async function seedEmulator(endpoint: string, d: Deployment): Promise<string> {
  const { ec2 } = clients(endpoint, d.region);
  const name = `com.amazonaws.${d.region}.ec2-instance-connect`;
  const existing = await ec2.send(
    new DescribeManagedPrefixListsCommand({ Filters: [{ Name: "prefix-list-name", Values: [name] }] }),
  );
  if ((existing.PrefixLists ?? []).length > 0) return `${name} already there`;
  await ec2.send(
    new CreateManagedPrefixListCommand({
      PrefixListName: name,
      AddressFamily: "IPv4",
      MaxEntries: 5,
      Entries: [{ Cidr: "18.206.107.24/29" }],
    }),
  );
  return `created stand-in prefix list ${name}`;
}

export async function checkDeployed(endpoint: string, d: Deployment): Promise<string> {
  const checks = new Checks();
  const c = clients(endpoint, d.region, checks.callErrors);
  const names = namesOf(d);
  const { config } = loadConfig(settingsOf(d));

  const vpcs =
    (await c.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: [names.vpc] }] }))).Vpcs ?? [];
  checks.expect(
    `VPC ${names.vpc} with 10.0.0.0/24`,
    vpcs.length === 1 && vpcs[0].CidrBlock === "10.0.0.0/24",
    vpcs.map((v) => v.CidrBlock),
  );
  const vpcId = vpcs[0]?.VpcId ?? "none";

  const flowLogs =
    (await c.ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "resource-id", Values: [vpcId] }] }))).FlowLogs ??
    [];
  const cw = flowLogs.find((f) => f.LogDestinationType === "cloud-watch-logs");
  const s3 = flowLogs.find((f) => f.LogDestinationType === "s3");
  checks.expect("two flow logs on the VPC", flowLogs.length === 2, flowLogs.length);
  checks.expect(
    "CloudWatch flow log: group, role, ALL, 60 s",
    // AWS names the group in LogGroupName; moto only in the destination ARN.
    (cw?.LogGroupName ?? cw?.LogDestination?.split(":log-group:")[1]) === names.logGroup &&
      (cw?.DeliverLogsPermissionArn ?? "").endsWith(`role/${names.flowLogRole}`) &&
      cw?.TrafficType === "ALL" &&
      cw?.MaxAggregationInterval === 60,
    cw,
  );
  checks.expect(
    "S3 flow log to the lab bucket",
    (s3?.LogDestination ?? "").endsWith(`:::${names.flowLogBucket}`),
    s3?.LogDestination,
  );
  checks.expect(
    `both flow logs write the ${config.flowLogFormat} format's fields, the S3 one in the configured storage`,
    [cw, s3].every((f) => f?.LogFormat === flowLogFormat(flowLogFields(config.flowLogFormat))) &&
      isDeepStrictEqual(s3?.DestinationOptions, asDestinationOptions(storageOf(config))),
    [cw?.LogFormat, s3?.LogFormat, s3?.DestinationOptions],
  );

  const acls =
    (await c.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "tag:Name", Values: [names.networkAcl] }] })))
      .NetworkAcls ?? [];
  const rule90 = acls[0]?.Entries?.find((e) => e.RuleNumber === 90);
  checks.expect(
    "the subnet's NACL: rule 90 egress, ICMP, 0.0.0.0/0, deny",
    rule90?.Egress === true &&
      rule90.Protocol === "1" &&
      rule90.RuleAction === "deny" &&
      rule90.CidrBlock === "0.0.0.0/0",
    rule90,
  );

  const reservations =
    (
      await c.ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: "tag:Name", Values: [names.instance] },
            { Name: "instance-state-name", Values: ["running", "pending"] },
          ],
        }),
      )
    ).Reservations ?? [];
  const instance = reservations[0]?.Instances?.[0];
  checks.expect(
    "instance t2.micro with IMDSv2 required",
    instance?.InstanceType === "t2.micro" && instance?.MetadataOptions?.HttpTokens === "required",
    instance?.InstanceType,
  );

  const filters =
    (await c.logs.send(new DescribeMetricFiltersCommand({ logGroupName: names.logGroup }))).metricFilters ?? [];
  const ping = filters.find((f) => f.filterName === names.metricFilter);
  checks.expect(
    "metric filters: the walkthrough's, ssh-rdp-rejected's and flow-log-skipdata's, no other",
    JSON.stringify(filters.map((f) => f.filterName).sort()) === JSON.stringify(labMetricFilterNames(names).sort()),
    filters.map((f) => f.filterName),
  );
  checks.expect("metric filter with the walkthrough's pattern", ping?.filterPattern === PING_DENY_FILTER.pattern, ping);
  checks.expect(
    "metric Ping-Deny, value 1, default 0",
    ping?.metricTransformations?.[0]?.metricName === "Ping-Deny" &&
      ping?.metricTransformations?.[0]?.metricValue === "1" &&
      ping?.metricTransformations?.[0]?.defaultValue === 0,
    ping?.metricTransformations,
  );

  const topics = (await c.sns.send(new ListTopicsCommand({}))).Topics ?? [];
  const topicArn = topics.map((x) => x.TopicArn ?? "").find((arn) => arn.endsWith(`:${names.alarmTopic}`));
  checks.expect(`SNS topic ${names.alarmTopic}`, topicArn !== undefined, topics);
  if (topicArn) {
    const attributes = (await c.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes ?? {};
    checks.expect(
      "topic encrypted with the lab key",
      (attributes.KmsMasterKeyId ?? "").includes(":key/"),
      attributes.KmsMasterKeyId,
    );
    const subscriptions =
      (await c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
    checks.expect(
      "e-mail subscription",
      subscriptions.some((s) => s.Protocol === "email" && s.Endpoint === "e2e@example.com"),
      subscriptions,
    );
  }

  const alarm = (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [names.alarm] }))).MetricAlarms?.[0];
  checks.expect(
    "alarm: the walkthrough's rule, notifies the topic",
    alarm?.Statistic === PING_DENY_ALARM.statistic &&
      alarm.Period === PING_DENY_ALARM.periodSeconds &&
      alarm.Threshold === PING_DENY_ALARM.threshold &&
      alarm.ComparisonOperator === PING_DENY_ALARM.comparisonOperator &&
      alarm.TreatMissingData === PING_DENY_ALARM.treatMissingData &&
      alarm.MetricName === PING_DENY_FILTER.metricName &&
      alarm.Namespace === names.metricNamespace &&
      (alarm.AlarmActions ?? []).includes(topicArn ?? "?"),
    alarm,
  );
  const sshRdpAlarm = (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [names.sshRdpAlarm] })))
    .MetricAlarms?.[0];
  checks.expect(
    "ssh-rdp-rejected alarm: in the detections' namespace, notifies the topic",
    sshRdpAlarm?.Namespace === names.detectionNamespace && (sshRdpAlarm.AlarmActions ?? []).includes(topicArn ?? "?"),
    sshRdpAlarm,
  );
  const silenceAlarm = (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [names.flowLogSilenceAlarm] })))
    .MetricAlarms?.[0];
  checks.expect(
    "flow-log-silence alarm: the log group's AWS/Logs IncomingLogEvents, missing data breaching, notifies the topic",
    silenceAlarm?.Namespace === "AWS/Logs" &&
      silenceAlarm.MetricName === "IncomingLogEvents" &&
      JSON.stringify(silenceAlarm.Dimensions) === JSON.stringify([{ Name: "LogGroupName", Value: names.logGroup }]) &&
      silenceAlarm.TreatMissingData === "breaching" &&
      (silenceAlarm.AlarmActions ?? []).includes(topicArn ?? "?"),
    silenceAlarm,
  );
  const saved = (
    await c.logs.send(
      new DescribeQueryDefinitionsCommand({ queryDefinitionNamePrefix: `${names.insightsQueryFolder}/` }),
    )
  ).queryDefinitions;
  const ourQueries = insightsQueries(config);
  checks.expect(
    `saved Logs Insights queries: the project's ${ourQueries.length}, on the flow-log group, in the lab's folder`,
    JSON.stringify(
      (saved ?? [])
        .map((q) => [q.name, q.queryString, q.logGroupNames])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ) ===
      JSON.stringify(
        ourQueries
          .map((q) => [`${names.insightsQueryFolder}/${q.name}`, q.query, [names.logGroup]])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ),
    saved?.map((q) => q.name),
  );
  const dashboard = await c.cloudwatch.send(new GetDashboardCommand({ DashboardName: names.dashboard }));
  const dashboardAlarms = (
    JSON.parse(dashboard.DashboardBody ?? "{}") as { widgets?: { properties?: { alarms?: string[] } }[] }
  ).widgets?.[0]?.properties?.alarms;
  checks.expect(
    "dashboard: every detection's alarm, by its ARN",
    JSON.stringify(dashboardAlarms?.map((arn) => arn.split(":alarm:")[1])) === JSON.stringify(labAlarmNames(names)),
    dashboardAlarms,
  );
  const portScanAlarm = (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [names.portScanAlarm] })))
    .MetricAlarms?.[0];
  checks.expect(
    "port-scan alarm: a metric math alarm on the two rules' UniqueContributors, notifies the topic",
    (portScanAlarm?.Metrics ?? []).filter((m) => m.Expression?.includes('"UniqueContributors"')).length === 2 &&
      (portScanAlarm?.AlarmActions ?? []).includes(topicArn ?? "?"),
    portScanAlarm,
  );
  const rules = (await c.cloudwatch.send(new DescribeInsightRulesCommand({}))).InsightRules ?? [];
  const ruleOf = (name: string) => rules.find((r) => r.Name === name);
  checks.expect(
    "Contributor Insights rules: top talkers, rejected TCP and the port scan's two, enabled, as the project defines them",
    [
      [names.topTalkersRule, TOP_TALKERS_RULE],
      [names.rejectedTcpRule, REJECTED_TCP_RULE],
      [names.portScanPortsRule, portScanRules(config.vpcCidr).ports],
      [names.portScanSourcesRule, portScanRules(config.vpcCidr).sources],
    ].every(
      ([name, rule]) =>
        ruleOf(name as string)?.State === "ENABLED" &&
        JSON.stringify(JSON.parse(ruleOf(name as string)?.Definition ?? "{}")) ===
          (rule as typeof TOP_TALKERS_RULE).definition(names.logGroup),
    ),
    rules,
  );

  const table = (await c.glue.send(new GetTableCommand({ DatabaseName: names.glueDatabase, Name: names.glueTable })))
    .Table;
  const fields = flowLogFields(config.flowLogFormat);
  checks.expect(
    `Glue table with the ${config.flowLogFormat} format's columns`,
    JSON.stringify(table?.StorageDescriptor?.Columns?.map((col) => col.Name)) ===
      JSON.stringify(fields.map((f) => f.column)),
    table?.StorageDescriptor?.Columns?.map((col) => col.Name),
  );
  checks.expect(
    "partition projection, the storage's partition folders in the location template",
    table?.Parameters?.["projection.enabled"] === "true" &&
      (table?.Parameters?.["storage.location.template"] ?? "").endsWith(
        "/" + partitionPath(storageOf(config), (column) => "${" + column + "}"),
      ),
    table?.Parameters,
  );

  const ids =
    (await c.athena.send(new ListNamedQueriesCommand({ WorkGroup: names.athenaWorkgroup }))).NamedQueryIds ?? [];
  // One at a time: moto has no BatchGetNamedQuery.
  const queries = [];
  for (const id of ids) {
    const query = (await c.athena.send(new GetNamedQueryCommand({ NamedQueryId: id }))).NamedQuery;
    if (query) queries.push(query);
  }
  const columns = [...fields.map((f) => f.column), ...partitionColumns(storageOf(config))];
  checks.expect(
    "every named query the table's columns allow deployed",
    JSON.stringify(queries.map((q) => q.Name).sort()) ===
      JSON.stringify(
        queriesForColumns(columns)
          .map((q) => q.name)
          .sort(),
      ),
    queries.map((q) => q.Name),
  );
  const icmp = queries.find((q) => q.Name === "IcmpFromSource");
  checks.expect(
    "IcmpFromSource uses the instance's private IP",
    (icmp?.QueryString ?? "").includes(`source = '${instance?.PrivateIpAddress}'`),
    icmp?.QueryString,
  );

  return checks.result();
}

/** Nothing of the deployment is left, in the lab's region and the state bucket's. */
export async function checkNothingLeft(endpoint: string, d: Deployment): Promise<string> {
  const checks = new Checks();
  const names = namesOf(d);
  const c = clients(endpoint, d.region, checks.callErrors);
  const byProject = { Name: "tag:LabSuffix", Values: [d.suffix] };
  const vpcs = (await c.ec2.send(new DescribeVpcsCommand({ Filters: [byProject] }))).Vpcs ?? [];
  checks.expect(
    "no lab VPC",
    vpcs.length === 0,
    vpcs.map((v) => v.VpcId),
  );
  const running = (
    (
      await c.ec2.send(
        new DescribeInstancesCommand({
          Filters: [byProject, { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] }],
        }),
      )
    ).Reservations ?? []
  ).flatMap((r) => r.Instances ?? []);
  checks.expect(
    "no lab instance",
    running.length === 0,
    running.map((i) => i.InstanceId),
  );
  const buckets = ((await c.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name ?? "");
  checks.expect(
    "no flow-log bucket, no state bucket",
    !buckets.includes(names.flowLogBucket) && !buckets.includes(d.stateBucket),
    buckets,
  );
  const groups =
    (await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: names.logGroup }))).logGroups ?? [];
  checks.expect(
    "no log group",
    groups.length === 0,
    groups.map((g) => g.logGroupName),
  );
  const alarms = (
    (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: labAlarmNames(names) }))).MetricAlarms ?? []
  ).filter((a) => labAlarmNames(names).includes(a.AlarmName ?? ""));
  checks.expect(
    "no alarm",
    alarms.length === 0,
    alarms.map((a) => a.AlarmName),
  );
  const leftRules = ((await c.cloudwatch.send(new DescribeInsightRulesCommand({}))).InsightRules ?? [])
    .map((r) => r.Name)
    .filter((n) => labInsightRuleNames(names).includes(n ?? ""));
  checks.expect("no Contributor Insights rule", leftRules.length === 0, leftRules);
  const dashboards = ((await c.cloudwatch.send(new ListDashboardsCommand({}))).DashboardEntries ?? []).map(
    (e) => e.DashboardName,
  );
  checks.expect("no dashboard", !dashboards.includes(names.dashboard), dashboards);
  const savedLeft = (
    (
      await c.logs.send(
        new DescribeQueryDefinitionsCommand({ queryDefinitionNamePrefix: `${names.insightsQueryFolder}/` }),
      )
    ).queryDefinitions ?? []
  ).map((q) => q.name);
  checks.expect("no saved Logs Insights query", savedLeft.length === 0, savedLeft);
  const topics = ((await c.sns.send(new ListTopicsCommand({}))).Topics ?? []).map((x) => x.TopicArn ?? "");
  checks.expect("no topic", !topics.some((arn) => arn.endsWith(`:${names.alarmTopic}`)), topics);
  const databases = ((await c.glue.send(new GetDatabasesCommand({}))).DatabaseList ?? []).map((db) => db.Name);
  checks.expect("no Glue database", !databases.includes(names.glueDatabase), databases);
  const workgroups = ((await c.athena.send(new ListWorkGroupsCommand({}))).WorkGroups ?? []).map((w) => w.Name);
  checks.expect("no Athena workgroup", !workgroups.includes(names.athenaWorkgroup), workgroups);
  const roles = ((await c.iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName ?? "");
  const ourRoles = [names.flowLogRole, names.instanceRole, names.ciPlanRole, names.ciApplyRole];
  checks.expect("no lab or CI role", !roles.some((r) => ourRoles.includes(r)), roles);
  const policies = ((await c.iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies ?? []).map(
    (p) => p.PolicyName ?? "",
  );
  checks.expect(
    "no lab or CI policy",
    !policies.some(
      (p) =>
        [names.flowLogPolicy, names.ciBoundary].includes(p) ||
        p.startsWith(names.ciPlanRole) ||
        p.startsWith(names.ciApplyRole),
    ),
    policies,
  );
  const aliases = ((await c.kms.send(new ListAliasesCommand({}))).Aliases ?? []).map((a) => a.AliasName ?? "");
  checks.expect("no lab KMS alias (keys are scheduled for deletion)", !aliases.includes(names.keyAlias), aliases);
  const stateRegion = clients(endpoint, d.stateRegion, checks.callErrors);
  const stateBuckets = ((await stateRegion.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
  checks.expect("no state bucket", !stateBuckets.includes(d.stateBucket), stateBuckets);
  return checks.result();
}
