/**
 * The monitor stack against a VPC that exists before it and after it: the run creates a VPC as a
 * user's would be, deploys `monitor` on it (after proving that a wrong block fails the plan), reads
 * back what it added, destroys it, and checks that the VPC is still there, untouched, with no flow log.
 */
import { DescribeAlarmsCommand, DescribeInsightRulesCommand, ListDashboardsCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  DescribeQueryDefinitionsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateVpcCommand, DeleteVpcCommand, DescribeFlowLogsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { loadConfig } from "../config/lab-config";
import { labAlarmNames, labInsightRuleNames, monitorNames } from "../config/names";
import { insightsQueries } from "../monitoring/insights-queries";
import { labDetections } from "../monitoring/detections";
import { EMULATOR_ACCOUNT, settingsOf, type Deployment } from "./deployments";
import { Checks, clients } from "./emulator";
import { checkFormatsDeployed, EVERY_FLOW_LOG_OPTION } from "./formats-proven";

/** The block of the VPC the run creates for the monitor stack to watch. */
export const WATCHED_CIDR = "10.20.0.0/16";

/** Creates the VPC a user would already have (tagged as theirs, not the project's). */
export async function createWatchedVpc(endpoint: string, d: Deployment): Promise<string> {
  const { ec2 } = clients(endpoint, d.region);
  const vpc = await ec2.send(
    new CreateVpcCommand({
      CidrBlock: WATCHED_CIDR,
      TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "someone-elses-vpc" }] }],
    }),
  );
  const id = vpc.Vpc?.VpcId;
  if (!id) throw new Error("CreateVpc returned no id");
  return id;
}

/** The monitor's settings: the deployment's, the watched VPC, and every flow-log option that is not the walkthrough's. */
export function monitorSettings(d: Deployment, vpcId: string, cidr = WATCHED_CIDR): Record<string, string> {
  return { ...settingsOf(d), ...EVERY_FLOW_LOG_OPTION, LAB_MONITOR_VPCS: `${vpcId}=${cidr}` };
}

function namesFor(d: Deployment, vpcId: string) {
  const { config } = loadConfig(monitorSettings(d, vpcId));
  return { config, names: monitorNames(config, { region: d.region, accountId: EMULATOR_ACCOUNT }) };
}

export async function checkMonitorDeployed(endpoint: string, d: Deployment, vpcId: string): Promise<string> {
  const checks = new Checks();
  const c = clients(endpoint, d.region, checks.callErrors);
  const { config, names } = namesFor(d, vpcId);
  const own = names.ofVpc(vpcId);
  const flowLogs =
    (await c.ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "resource-id", Values: [vpcId] }] }))).FlowLogs ??
    [];
  checks.expect(
    "two flow logs on the watched VPC: to its log group and to the monitor's bucket",
    JSON.stringify(flowLogs.map((f) => f.LogDestinationType).sort()) === JSON.stringify(["cloud-watch-logs", "s3"]) &&
      // AWS names the group in LogGroupName, moto only in the destination's ARN.
      flowLogs.some((f) => `${f.LogGroupName ?? ""} ${f.LogDestination ?? ""}`.includes(own.logGroup)) &&
      flowLogs.some((f) => (f.LogDestination ?? "").includes(names.shared.flowLogBucket)),
    flowLogs.map((f) => [f.LogDestinationType, f.LogGroupName ?? f.LogDestination]),
  );
  const detections = labDetections({ ...config, vpcCidr: config.monitorVpcs[0].cidr });
  const filters =
    (await c.logs.send(new DescribeMetricFiltersCommand({ logGroupName: own.logGroup }))).metricFilters ?? [];
  checks.expect(
    `the SSH/RDP filter built from the VPC's block ${WATCHED_CIDR}`,
    filters.find((f) => f.filterName === own.sshRdpMetricFilter)?.filterPattern ===
      detections["ssh-rdp-rejected"].filter.pattern,
    filters.map((f) => f.filterName),
  );
  const alarmNames = labAlarmNames(own);
  const alarms = (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames }))).MetricAlarms ?? [];
  const topic = `arn:aws:sns:${d.region}:${EMULATOR_ACCOUNT}:${names.shared.alarmTopic}`;
  checks.expect(
    "every detection's alarm, each notifying the monitor's topic",
    alarms.length === alarmNames.length && alarms.every((a) => (a.AlarmActions ?? []).includes(topic)),
    alarms.map((a) => [a.AlarmName, a.AlarmActions]),
  );
  const rules = ((await c.cloudwatch.send(new DescribeInsightRulesCommand({}))).InsightRules ?? []).map((r) => r.Name);
  checks.expect(
    "its four Contributor Insights rules",
    labInsightRuleNames(own).every((r) => rules.includes(r)),
    rules,
  );
  const saved =
    (
      await c.logs.send(
        new DescribeQueryDefinitionsCommand({ queryDefinitionNamePrefix: `${own.insightsQueryFolder}/` }),
      )
    ).queryDefinitions ?? [];
  checks.expect(
    "its saved queries, built from its block",
    saved.length === insightsQueries({ ...config, vpcCidr: config.monitorVpcs[0].cidr }).length &&
      saved.some((q) => (q.queryString ?? "").includes(WATCHED_CIDR)),
    saved.map((q) => q.name),
  );
  const dashboards = ((await c.cloudwatch.send(new ListDashboardsCommand({}))).DashboardEntries ?? []).map(
    (e) => e.DashboardName,
  );
  checks.expect("its dashboard", dashboards.includes(own.dashboard), dashboards);
  await checkFormatsDeployed(
    checks,
    endpoint,
    d.region,
    vpcId,
    { ...config, vpcCidr: config.monitorVpcs[0].cidr },
    own,
    names.shared,
  );
  return checks.result();
}

export async function checkMonitorGone(endpoint: string, d: Deployment, vpcId: string): Promise<string> {
  const checks = new Checks();
  const c = clients(endpoint, d.region, checks.callErrors);
  const { names } = namesFor(d, vpcId);
  const own = names.ofVpc(vpcId);
  const vpc = (await c.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0];
  checks.expect(
    "the watched VPC is still there, with its block and its owner's tag",
    vpc?.CidrBlock === WATCHED_CIDR && (vpc.Tags ?? []).some((t) => t.Value === "someone-elses-vpc"),
    vpc,
  );
  const flowLogs =
    (await c.ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "resource-id", Values: [vpcId] }] }))).FlowLogs ??
    [];
  checks.expect("no flow log left on it", flowLogs.length === 0, flowLogs.length);
  const groups =
    (await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: own.logGroup }))).logGroups ?? [];
  checks.expect(
    "no log group",
    groups.length === 0,
    groups.map((g) => g.logGroupName),
  );
  const alarms = (
    (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "CloudWatch-Alarm-" }))).MetricAlarms ?? []
  ).filter((a) => (a.AlarmName ?? "").endsWith(vpcId));
  checks.expect(
    "no alarm",
    alarms.length === 0,
    alarms.map((a) => a.AlarmName),
  );
  const saved =
    (await c.logs.send(new DescribeQueryDefinitionsCommand({ queryDefinitionNamePrefix: own.insightsQueryFolder })))
      .queryDefinitions ?? [];
  checks.expect(
    "no saved query",
    saved.length === 0,
    saved.map((q) => q.name),
  );
  const result = checks.result();
  // The run made the VPC: it removes it too (a user's stays).
  await c.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  return result;
}
