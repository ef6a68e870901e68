/**
 * The lab's CloudWatch dashboard, built from the catalogue: the state of every detection's alarm, each
 * detection's metric, the log group's incoming events, the Contributor Insights rules' top
 * contributors, and a Logs Insights table of the top talkers. What it shows changes when the
 * catalogue does; nothing here is typed twice.
 */
import type { ContributorRule } from "./contributor-rules";
import type { Detection } from "./detections";
import { INCOMING_LOG_EVENTS } from "./flow-log-silence";
import type { FlowLogFormatName } from "./flow-log-fields";
import { topTalkersQuery } from "./insights-queries";
import { portScanQueries, type MetricQuery } from "./port-scan";
import { skipDataQueries, type MetricStatQuery } from "./skipdata-share";

/** One deployment's names of what the dashboard shows (the catalogue's, with its suffix). */
export interface DashboardTargets {
  readonly region: string;
  readonly logGroupName: string;
  /** The fields the flow log writes (the Logs Insights widget parses an extended message). */
  readonly flowLogFormat: FlowLogFormatName;
  /**
   * Each detection with its deployed alarm ARN, and its metric's namespace (a metric filter's) or
   * its rules' names (Contributor Insights).
   */
  readonly detections: readonly {
    readonly detection: Detection;
    readonly alarmArn: string;
    readonly metricNamespace: string;
    readonly ruleNames?: { readonly ports: string; readonly sources: string };
  }[];
  /** Contributor Insights rules and their deployed names. */
  readonly rules: readonly { readonly rule: ContributorRule; readonly name: string }[];
}

const WIDTH = 24;

/** `count` whole widths that fill the grid's 24 columns (CloudWatch takes whole columns only). */
function split(count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor(WIDTH / count) + (i < WIDTH % count ? 1 : 0));
}

/** The dashboard body (CloudWatch's dashboard JSON), in rows of widgets. */
export function dashboardBody(t: DashboardTargets): string {
  const widgets: object[] = [];
  let y = 0;
  const row = (height: number, items: { width: number; widget: object }[]) => {
    let x = 0;
    for (const { width, widget } of items) {
      widgets.push({ ...widget, x, y, width, height });
      x += width;
    }
    y += height;
  };
  row(3, [
    {
      width: WIDTH,
      widget: {
        type: "alarm",
        properties: { title: "Detections", alarms: t.detections.map((d) => d.alarmArn) },
      },
    },
  ]);
  const metricsOf = (d: DashboardTargets["detections"][number]): unknown[][] => {
    const { detection } = d;
    if (detection.deployedAs === "metric-filter") return [[d.metricNamespace, detection.filter.metricName]];
    if (detection.deployedAs === "log-group-metric")
      return [[INCOMING_LOG_EVENTS.namespace, INCOMING_LOG_EVENTS.metricName, "LogGroupName", t.logGroupName]];
    // The alarm's own expression, with the metrics it is made of hidden.
    const queries: (MetricQuery | MetricStatQuery)[] =
      detection.deployedAs === "metric-filter-share"
        ? skipDataQueries({
            skipped: { ...detection.filter, metricNamespace: d.metricNamespace },
            records: { ...detection.denominator, metricNamespace: d.metricNamespace },
          })
        : portScanQueries(d.ruleNames!);
    const hidden = (q: { returnData: boolean }) => (q.returnData ? {} : { visible: false });
    return queries.map((q) =>
      "metric" in q
        ? [q.metric.namespace, q.metric.metricName, { id: q.id, label: q.label, stat: q.metric.stat, ...hidden(q) }]
        : [{ expression: q.expression, id: q.id, label: q.label, ...hidden(q) }],
    );
  };
  row(
    6,
    t.detections.map((d, i) => ({
      width: split(t.detections.length)[i],
      widget: {
        type: "metric",
        properties: {
          title: d.detection.title,
          region: t.region,
          view: "timeSeries",
          ...("statistic" in d.detection.alarm ? { stat: d.detection.alarm.statistic } : {}),
          period: d.detection.alarm.periodSeconds,
          metrics: metricsOf(d),
          annotations: { horizontal: [{ label: "alarm threshold", value: d.detection.alarm.threshold }] },
        },
      },
    })),
  );
  row(
    6,
    t.rules.map(({ name }, i) => ({
      width: split(t.rules.length)[i],
      widget: {
        type: "metric",
        properties: {
          title: `Top contributors: ${name}`,
          region: t.region,
          view: "timeSeries",
          insightRule: { maxContributorCount: 10, orderBy: "Sum", ruleName: name },
          legend: { position: "bottom" },
        },
      },
    })),
  );
  row(6, [
    {
      width: WIDTH,
      widget: {
        type: "log",
        properties: {
          title: "Top talkers (Logs Insights, the dashboard's time range)",
          region: t.region,
          view: "table",
          query: `SOURCE '${t.logGroupName}' | ${topTalkersQuery(10, t.flowLogFormat)}`,
        },
      },
    },
  ]);
  return JSON.stringify({ widgets });
}
