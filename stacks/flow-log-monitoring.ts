/**
 * The monitoring of one flow-log group: every detection of the catalogue (metric filters, alarms,
 * Contributor Insights rules), AWS's example rules, the saved Logs Insights queries and the dashboard,
 * each with the deployment's names. The lab stack adds it for its own VPC (in the stack itself, so its
 * resources keep their addresses); the monitor stack adds it once per existing VPC it watches.
 */
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import type { Construct } from "constructs";
import type { LabNames } from "../config/names";
import { ContributorInsightRule } from "../constructs/contributor-insight-rule";
import { InsightRuleAlarm } from "../constructs/insight-rule-alarm";
import { InsightsQueryDefinitions } from "../constructs/insights-query-definitions";
import { LabDashboard } from "../constructs/lab-dashboard";
import { LogGroupSilenceAlarm } from "../constructs/log-group-silence-alarm";
import { MetricFilterAlarm } from "../constructs/metric-filter-alarm";
import { MetricFilterShareAlarm } from "../constructs/metric-filter-share-alarm";
import { REJECTED_TCP_RULE, TOP_TALKERS_RULE } from "../monitoring/contributor-rules";
import { labDetections, type DetectionSettings } from "../monitoring/detections";
import { insightsQueries, type InsightsQuerySettings } from "../monitoring/insights-queries";

export interface FlowLogMonitoringProps {
  /** The group the VPC's flow log writes to (default format). */
  readonly logGroup: CloudwatchLogGroup;
  /** Every alarm notifies it. */
  readonly topic: SnsTopic;
  /** The deployment's names (the naming catalogue's). */
  readonly names: LabNames;
  /** Where the dashboard's widgets read from. */
  readonly region: string;
  /** The VPC's block and the detections' thresholds. */
  readonly settings: DetectionSettings & InsightsQuerySettings;
}

export interface FlowLogMonitoring {
  readonly pingDenyAlarm: MetricFilterAlarm;
  readonly sshRdpAlarm: MetricFilterAlarm;
  readonly flowLogSilenceAlarm: LogGroupSilenceAlarm;
  readonly skipDataAlarm: MetricFilterShareAlarm;
  readonly portScanAlarm: InsightRuleAlarm;
  readonly contributorRules: readonly ContributorInsightRule[];
  readonly dashboard: LabDashboard;
  readonly insightsQueries: InsightsQueryDefinitions;
}

/** Adds the monitoring of one flow-log group to `scope`. */
export function addFlowLogMonitoring(scope: Construct, props: FlowLogMonitoringProps): FlowLogMonitoring {
  const { logGroup, topic, names } = props;
  const detections = labDetections(props.settings);
  const ping = detections["ping-deny"];
  const pingDenyAlarm = new MetricFilterAlarm(scope, "ping-deny-alarm", {
    logGroup,
    topic,
    filter: { ...ping.filter, filterName: names.metricFilter, metricNamespace: names.metricNamespace },
    alarm: { ...ping.alarm, alarmName: names.alarm },
  });
  const sshRdp = detections["ssh-rdp-rejected"];
  const sshRdpAlarm = new MetricFilterAlarm(scope, "ssh-rdp-rejected-alarm", {
    logGroup,
    topic,
    filter: { ...sshRdp.filter, filterName: names.sshRdpMetricFilter, metricNamespace: names.detectionNamespace },
    alarm: { ...sshRdp.alarm, alarmName: names.sshRdpAlarm },
  });
  const silence = detections["flow-log-silence"];
  const flowLogSilenceAlarm = new LogGroupSilenceAlarm(scope, "flow-log-silence-alarm", {
    logGroup,
    topic,
    alarm: { ...silence.alarm, alarmName: names.flowLogSilenceAlarm },
  });
  const skipData = detections["flow-log-skipdata"];
  const skipDataAlarm = new MetricFilterShareAlarm(scope, "flow-log-skipdata-alarm", {
    logGroup,
    topic,
    filter: { ...skipData.filter, filterName: names.skipDataMetricFilter, metricNamespace: names.detectionNamespace },
    denominator: {
      ...skipData.denominator,
      filterName: names.recordsMetricFilter,
      metricNamespace: names.detectionNamespace,
    },
    alarm: { ...skipData.alarm, alarmName: names.skipDataAlarm },
  });
  const portScan = detections["port-scan"];
  const portScanAlarm = new InsightRuleAlarm(scope, "port-scan-alarm", {
    logGroup,
    topic,
    detection: portScan,
    portsRuleName: names.portScanPortsRule,
    sourcesRuleName: names.portScanSourcesRule,
    alarm: { ...portScan.alarm, alarmName: names.portScanAlarm },
  });
  const contributorRules = [
    new ContributorInsightRule(scope, "top-talkers-rule", {
      logGroup,
      rule: TOP_TALKERS_RULE,
      ruleName: names.topTalkersRule,
    }),
    new ContributorInsightRule(scope, "rejected-tcp-rule", {
      logGroup,
      rule: REJECTED_TCP_RULE,
      ruleName: names.rejectedTcpRule,
    }),
  ];
  const namespace = names.detectionNamespace;
  const dashboard = new LabDashboard(scope, "dashboard", {
    dashboardName: names.dashboard,
    targets: {
      region: props.region,
      logGroupName: logGroup.name,
      flowLogFormat: props.settings.flowLogFormat,
      detections: [
        { detection: ping, alarmArn: pingDenyAlarm.alarm.arn, metricNamespace: names.metricNamespace },
        { detection: sshRdp, alarmArn: sshRdpAlarm.alarm.arn, metricNamespace: namespace },
        { detection: silence, alarmArn: flowLogSilenceAlarm.alarm.arn, metricNamespace: namespace },
        { detection: skipData, alarmArn: skipDataAlarm.alarm.arn, metricNamespace: namespace },
        {
          detection: portScan,
          alarmArn: portScanAlarm.alarm.arn,
          metricNamespace: namespace,
          ruleNames: { ports: names.portScanPortsRule, sources: names.portScanSourcesRule },
        },
      ],
      rules: [
        { rule: TOP_TALKERS_RULE, name: contributorRules[0].rule.ruleName },
        { rule: REJECTED_TCP_RULE, name: contributorRules[1].rule.ruleName },
        { rule: portScan.rules.ports, name: portScanAlarm.portsRule.rule.ruleName },
        { rule: portScan.rules.sources, name: portScanAlarm.sourcesRule.rule.ruleName },
      ],
    },
  });
  const queries = new InsightsQueryDefinitions(scope, "insights-queries", {
    logGroup,
    folder: names.insightsQueryFolder,
    queries: insightsQueries(props.settings),
  });
  return {
    pingDenyAlarm,
    sshRdpAlarm,
    flowLogSilenceAlarm,
    skipDataAlarm,
    portScanAlarm,
    contributorRules,
    dashboard,
    insightsQueries: queries,
  };
}
