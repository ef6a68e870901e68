import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchQueryDefinition } from "@cdktf/provider-aws/lib/cloudwatch-query-definition";
import { Construct } from "constructs";
import type { InsightsQuery } from "../monitoring/insights-queries";

export interface InsightsQueryDefinitionsProps {
  /** The log group the queries read (the CloudWatch flow log's). */
  readonly logGroup: CloudwatchLogGroup;
  /** The folder they are saved in (the naming catalogue's). */
  readonly folder: string;
  /** The queries (monitoring/insights-queries.ts). */
  readonly queries: readonly InsightsQuery[];
}

/** Logs Insights queries saved for the flow-log group, in one folder of the console's saved queries. */
export class InsightsQueryDefinitions extends Construct {
  readonly definitions: CloudwatchQueryDefinition[];

  constructor(scope: Construct, id: string, props: InsightsQueryDefinitionsProps) {
    super(scope, id);
    this.definitions = props.queries.map(
      (q, i) =>
        new CloudwatchQueryDefinition(this, `query-${i}`, {
          name: `${props.folder}/${q.name}`,
          logGroupNames: [props.logGroup.name],
          queryString: q.query,
        }),
    );
  }
}
