import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { BASE_NAMES } from "../config/names";
import { flowLogFields, flowLogFormat } from "../monitoring/flow-log-fields";
import type { FlowLogBucket } from "./flow-log-bucket";
import { DEFAULTS, type AggregationIntervalSeconds, type TrafficType } from "./options";

export interface S3FlowLogProps {
  /** The VPC to watch (any VPC, not only the lab's). */
  readonly vpcId: string;
  readonly destination: FlowLogBucket;
  /** @default - the walkthrough's name, "Lab-VPC-Flow-Log-S3" */
  readonly flowLogName?: string;
  /** @default "ALL" */
  readonly trafficType?: TrafficType;
  /** @default 60 */
  readonly maxAggregationIntervalSeconds?: AggregationIntervalSeconds;
}

/**
 * VPC flow log to S3, in the destination's `format` and `storage` (by default the walkthrough's: plain
 * text with the non-Hive daily prefixes AWSLogs/<account>/vpcflowlogs/<region>/yyyy/MM/dd/), which
 * FlowLogAthena reads from the same bucket.
 */
export class S3FlowLog extends Construct {
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: S3FlowLogProps) {
    super(scope, id);
    this.flowLog = new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? DEFAULTS.trafficType,
      maxAggregationInterval: props.maxAggregationIntervalSeconds ?? DEFAULTS.aggregationIntervalSeconds,
      logDestinationType: "s3",
      logDestination: props.destination.bucket.arn,
      logFormat: Fn.rawString(flowLogFormat(flowLogFields(props.destination.format))),
      destinationOptions: {
        fileFormat: props.destination.storage.fileFormat,
        hiveCompatiblePartitions: props.destination.storage.hiveCompatiblePartitions,
        perHourPartition: props.destination.storage.perHourPartition,
      },
      tags: { Name: props.flowLogName ?? BASE_NAMES.s3FlowLog },
      // Our bucket policy must be in place first, or AWS attaches its own (and ours later overwrites it).
      dependsOn: [props.destination.policy],
    });
  }
}
