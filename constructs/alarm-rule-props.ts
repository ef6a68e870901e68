import type { CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AlarmRule } from "../monitoring/ping-deny";
import type { MathAlarmRule } from "../monitoring/port-scan";

/**
 * An AlarmRule (monitoring/) as the alarm resource's arguments: the one mapping every alarm construct
 * uses. An alarm on a metric math expression (MathAlarmRule) has no statistic and period of its own:
 * its queries carry the period.
 */
export function alarmRuleProps(
  rule: AlarmRule | MathAlarmRule,
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
    ...("statistic" in rule ? { statistic: rule.statistic, period: rule.periodSeconds } : {}),
    comparisonOperator: rule.comparisonOperator,
    threshold: rule.threshold,
    evaluationPeriods: rule.evaluationPeriods,
    datapointsToAlarm: rule.datapointsToAlarm,
    treatMissingData: rule.treatMissingData,
  };
}
