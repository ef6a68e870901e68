/** A deployed alarm, as DescribeAlarms gives it back, in the project's own terms (monitoring/ping-deny.ts). */
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { AlarmRule, ComparisonOperator, Statistic, TreatMissingData } from "../monitoring/ping-deny";

/** The rule of the alarm named `name` among `alarms`, as deployed; throws when it is missing. */
export function asAlarm(alarms: readonly MetricAlarm[] | undefined, name: string): AlarmRule {
  const alarm = alarms?.find((a) => a.AlarmName === name);
  if (!alarm) throw new Error(`the alarm ${name} is missing`);
  return {
    alarmName: name,
    description: String(alarm.AlarmDescription ?? ""),
    statistic: alarm.Statistic as Statistic,
    periodSeconds: Number(alarm.Period),
    comparisonOperator: alarm.ComparisonOperator as ComparisonOperator,
    threshold: Number(alarm.Threshold),
    evaluationPeriods: Number(alarm.EvaluationPeriods),
    datapointsToAlarm: Number(alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods),
    treatMissingData: alarm.TreatMissingData as TreatMissingData,
  };
}
