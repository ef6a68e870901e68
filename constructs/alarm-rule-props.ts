import type { CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AlarmRule } from "../monitoring/ping-deny";

/** An AlarmRule (monitoring/) as the alarm resource's arguments: the one mapping both alarm constructs use. */
export function alarmRuleProps(
  rule: AlarmRule,
): Pick<
  CloudwatchMetricAlarmConfig,
  | "alarmName"
  | "alarmDescription"
  | "statistic"
  | "period"
  | "comparisonOperator"
  | "threshold"
  | "evaluationPeriods"
  | "datapointsToAlarm"
  | "treatMissingData"
> & { alarmName: string; comparisonOperator: string; evaluationPeriods: number } {
  return {
    alarmName: rule.alarmName,
    alarmDescription: rule.description,
    statistic: rule.statistic,
    period: rule.periodSeconds,
    comparisonOperator: rule.comparisonOperator,
    threshold: rule.threshold,
    evaluationPeriods: rule.evaluationPeriods,
    datapointsToAlarm: rule.datapointsToAlarm,
    treatMissingData: rule.treatMissingData,
  };
}
