import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { Construct } from "constructs";
import type { MetricFilterDefinition } from "../monitoring/ping-deny";

/** A metric filter definition (monitoring/) as the log group's metric filter resource. */
export function logMetricFilter(
  scope: Construct,
  id: string,
  logGroup: CloudwatchLogGroup,
  filter: MetricFilterDefinition,
): CloudwatchLogMetricFilter {
  return new CloudwatchLogMetricFilter(scope, id, {
    name: filter.filterName,
    logGroupName: logGroup.name,
    pattern: filter.pattern,
    metricTransformation: {
      namespace: filter.metricNamespace,
      name: filter.metricName,
      value: filter.metricValue,
      defaultValue: String(filter.defaultValue),
    },
  });
}
