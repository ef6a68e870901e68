/** The AWS side of `npm run e2e`: seeding the emulator, reading the lab back, checking that nothing is left. */
import {
  AthenaClient,
  GetNamedQueryCommand,
  ListNamedQueriesCommand,
  ListWorkGroupsCommand,
} from "@aws-sdk/client-athena";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
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
import { DeleteObjectsCommand, ListBucketsCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import {
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  SNSClient,
} from "@aws-sdk/client-sns";
import { FLOW_LOG_FIELDS } from "../monitoring/flow-log-fields";
import { NAMED_QUERIES } from "../monitoring/named-queries";
import { PING_DENY_ALARM, PING_DENY_FILTER } from "../monitoring/ping-deny";

export interface AwsTarget {
  readonly endpoint: string;
  readonly region: string;
  readonly suffix: string;
  readonly stateBucket: string;
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

function clients(t: AwsTarget, errors: string[] = []) {
  const config = {
    region: t.region,
    endpoint: t.endpoint,
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
class Checks {
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
export async function seedEmulator(t: AwsTarget): Promise<string> {
  const { ec2 } = clients(t);
  const name = `com.amazonaws.${t.region}.ec2-instance-connect`;
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

const named = (base: string, t: AwsTarget) => `${base}-${t.suffix}`;

export async function checkDeployed(t: AwsTarget, options: { alarmDeployed: boolean }): Promise<string> {
  const checks = new Checks();
  const c = clients(t, checks.callErrors);

  const vpcs =
    (
      await c.ec2.send(
        new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: [named("Lab-VPC-Flow-Logs", t)] }] }),
      )
    ).Vpcs ?? [];
  checks.expect(
    "VPC Lab-VPC-Flow-Logs with 10.0.0.0/24",
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
    (cw?.LogGroupName ?? cw?.LogDestination?.split(":log-group:")[1]) === named("Lab-VPC-Flow-Log-Group", t) &&
      (cw?.DeliverLogsPermissionArn ?? "").endsWith(`role/${named("flowlogsRole", t)}`) &&
      cw?.TrafficType === "ALL" &&
      cw?.MaxAggregationInterval === 60,
    cw,
  );
  checks.expect(
    "S3 flow log to the lab bucket",
    (s3?.LogDestination ?? "").includes(`lab-vpc-flow-log-bucket-${t.suffix}-`),
    s3?.LogDestination,
  );
  checks.expect(
    "flow-log format is the 14 default fields",
    cw?.LogFormat === FLOW_LOG_FIELDS.map((f) => "${" + f.field + "}").join(" "),
    cw?.LogFormat,
  );

  const acls =
    (
      await c.ec2.send(
        new DescribeNetworkAclsCommand({
          Filters: [
            { Name: "vpc-id", Values: [vpcId] },
            { Name: "default", Values: ["true"] },
          ],
        }),
      )
    ).NetworkAcls ?? [];
  const rule90 = acls[0]?.Entries?.find((e) => e.RuleNumber === 90);
  checks.expect(
    "NACL rule 90: egress, ICMP, 0.0.0.0/0, deny",
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
            { Name: "tag:Name", Values: [named("Lab-VPC-Flow-Log-Instance", t)] },
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
    (await c.logs.send(new DescribeMetricFiltersCommand({ logGroupName: named("Lab-VPC-Flow-Log-Group", t) })))
      .metricFilters ?? [];
  checks.expect(
    "metric filter with the walkthrough's pattern",
    filters.length === 1 && filters[0].filterPattern === PING_DENY_FILTER.pattern,
    filters[0]?.filterPattern,
  );
  checks.expect(
    "metric Ping-Deny, value 1, default 0",
    filters[0]?.metricTransformations?.[0]?.metricName === "Ping-Deny" &&
      filters[0]?.metricTransformations?.[0]?.metricValue === "1" &&
      filters[0]?.metricTransformations?.[0]?.defaultValue === 0,
    filters[0]?.metricTransformations,
  );

  const topics = (await c.sns.send(new ListTopicsCommand({}))).Topics ?? [];
  const topicArn = topics
    .map((x) => x.TopicArn ?? "")
    .find((arn) => arn.endsWith(`:${named("CloudWatch_Alarms_Ping_Deny", t)}`));
  checks.expect("SNS topic CloudWatch_Alarms_Ping_Deny", topicArn !== undefined, topics);
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

  const alarms =
    (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [named(PING_DENY_ALARM.alarmName, t)] })))
      .MetricAlarms ?? [];
  const alarm = alarms[0];
  // Left out of the apply where the emulator cannot create it (scripts/e2e.ts, EMULATOR_GAPS).
  if (!options.alarmDeployed) checks.expect("alarm left out (emulator gap)", alarms.length === 0, alarms.length);
  else
    checks.expect(
      "alarm: Sum, 60 s, >= 1, notBreaching, notifies the topic",
      alarm?.Statistic === "Sum" &&
        alarm.Period === 60 &&
        alarm.Threshold === 1 &&
        alarm.ComparisonOperator === "GreaterThanOrEqualToThreshold" &&
        alarm.TreatMissingData === "notBreaching" &&
        (alarm.AlarmActions ?? []).includes(topicArn ?? "?"),
      alarm,
    );

  const table = (await c.glue.send(new GetTableCommand({ DatabaseName: `lab_${t.suffix}`, Name: "vpc_flow_log" })))
    .Table;
  checks.expect(
    "Glue table vpc_flow_log with the walkthrough's columns",
    JSON.stringify(table?.StorageDescriptor?.Columns?.map((col) => col.Name)) ===
      JSON.stringify(FLOW_LOG_FIELDS.map((f) => f.column)),
    table?.StorageDescriptor?.Columns?.map((col) => col.Name),
  );
  checks.expect(
    "partition projection with ${year}/${month}/${day} in the location template",
    table?.Parameters?.["projection.enabled"] === "true" &&
      (table?.Parameters?.["storage.location.template"] ?? "").endsWith("/${year}/${month}/${day}"),
    table?.Parameters,
  );

  const workgroup = named("lab-vpc-flow-logs", t);
  const ids = (await c.athena.send(new ListNamedQueriesCommand({ WorkGroup: workgroup }))).NamedQueryIds ?? [];
  // One at a time: moto has no BatchGetNamedQuery.
  const queries = [];
  for (const id of ids) {
    const query = (await c.athena.send(new GetNamedQueryCommand({ NamedQueryId: id }))).NamedQuery;
    if (query) queries.push(query);
  }
  checks.expect(
    "every named query deployed",
    JSON.stringify(queries.map((q) => q.Name).sort()) === JSON.stringify(NAMED_QUERIES.map((q) => q.name).sort()),
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

/** Deletes every object version and delete marker, so that a versioned bucket can be deleted. */
export async function emptyBucket(t: AwsTarget, bucket: string): Promise<string> {
  const { s3 } = clients(t);
  let removed = 0;
  for (;;) {
    const listing = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const objects = [...(listing.Versions ?? []), ...(listing.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key!,
      VersionId: v.VersionId,
    }));
    if (objects.length === 0) return `${removed} object versions removed`;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
    removed += objects.length;
  }
}

export async function checkNothingLeft(t: AwsTarget): Promise<string> {
  const checks = new Checks();
  const c = clients(t, checks.callErrors);
  const vpcs =
    (await c.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Project", Values: ["vpc-flow-logs-lab"] }] })))
      .Vpcs ?? [];
  checks.expect(
    "no lab VPC",
    vpcs.length === 0,
    vpcs.map((v) => v.VpcId),
  );
  const running = (
    (
      await c.ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: "tag:Project", Values: ["vpc-flow-logs-lab"] },
            { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] },
          ],
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
    "no lab bucket",
    !buckets.some((b) => b.startsWith(`lab-vpc-flow-log-bucket-${t.suffix}`) || b === t.stateBucket),
    buckets,
  );
  const groups =
    (await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: named("Lab-VPC-Flow-Log-Group", t) })))
      .logGroups ?? [];
  checks.expect(
    "no log group",
    groups.length === 0,
    groups.map((g) => g.logGroupName),
  );
  const alarms =
    (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: named(PING_DENY_ALARM.alarmName, t) })))
      .MetricAlarms ?? [];
  checks.expect(
    "no alarm",
    alarms.length === 0,
    alarms.map((a) => a.AlarmName),
  );
  const topics = ((await c.sns.send(new ListTopicsCommand({}))).Topics ?? []).map((x) => x.TopicArn ?? "");
  checks.expect("no topic", !topics.some((arn) => arn.includes("CloudWatch_Alarms_Ping_Deny")), topics);
  const databases = ((await c.glue.send(new GetDatabasesCommand({}))).DatabaseList ?? []).map((d) => d.Name);
  checks.expect("no Glue database", !databases.includes(`lab_${t.suffix}`), databases);
  const workgroups = ((await c.athena.send(new ListWorkGroupsCommand({}))).WorkGroups ?? []).map((w) => w.Name);
  checks.expect("no Athena workgroup", !workgroups.includes(named("lab-vpc-flow-logs", t)), workgroups);
  const roles = ((await c.iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName ?? "");
  checks.expect(
    "no lab IAM role",
    !roles.some((r) => r.startsWith("flowlogsRole") || r.startsWith("Lab-VPC-Flow-Log-Instance")),
    roles,
  );
  const policies = ((await c.iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies ?? []).map(
    (p) => p.PolicyName ?? "",
  );
  checks.expect("no lab IAM policy", !policies.some((p) => p.startsWith("flowlogsPolicy")), policies);
  const aliases = ((await c.kms.send(new ListAliasesCommand({}))).Aliases ?? []).map((a) => a.AliasName ?? "");
  checks.expect(
    "no lab KMS alias (keys are scheduled for deletion)",
    !aliases.some((a) => a.startsWith("alias/Lab-VPC-Flow-Logs")),
    aliases,
  );
  return checks.result();
}
