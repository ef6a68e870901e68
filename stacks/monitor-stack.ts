import { Fn, TerraformOutput, TerraformStack } from "cdktf";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { Construct } from "constructs";
import type { LabConfig } from "../config/lab-config";
import { monitorNames } from "../config/names";
import { AlarmTopic } from "../constructs/alarm-topic";
import { AwsContext } from "../constructs/aws-context";
import { CloudWatchFlowLog } from "../constructs/cloudwatch-flow-log";
import { FlowLogAthena } from "../constructs/flow-log-athena";
import { FlowLogBucket } from "../constructs/flow-log-bucket";
import { LabKey } from "../constructs/lab-key";
import { S3FlowLog } from "../constructs/s3-flow-log";
import { storageOf } from "../monitoring/flow-log-storage";
import { labAwsProviders } from "./aws-provider";
import { addFlowLogMonitoring, type FlowLogMonitoring } from "./flow-log-monitoring";
import { configureBackend } from "./remote-state";

/** One watched VPC: its flow logs and the monitoring of its log group. */
export interface WatchedVpc {
  readonly vpcId: string;
  readonly cloudWatchFlowLog: CloudWatchFlowLog;
  readonly s3FlowLog: S3FlowLog;
  readonly monitoring: FlowLogMonitoring;
}

/**
 * The lab's monitoring on VPCs that already exist (LAB_MONITOR_VPCS), without the lab's network or
 * instance: per VPC, flow logs to its own log group (through its own role) and to the shared bucket,
 * every detection, the rules, the saved queries and a dashboard; shared, the key, the alarm topic and
 * Athena over all the VPCs' S3 flow logs. Its state goes in the same backend under its own key. It
 * changes nothing in the VPCs but adds their flow logs; each VPC's block is checked against AWS at
 * plan, since the detections were built from it.
 */
export class MonitorStack extends TerraformStack {
  readonly key: LabKey;
  readonly alarmTopic: AlarmTopic;
  readonly flowLogBucket: FlowLogBucket;
  readonly vpcs: WatchedVpc[];
  readonly athena: FlowLogAthena;

  constructor(scope: Construct, id: string, config: LabConfig) {
    super(scope, id);
    const { untagged } = labAwsProviders(this, {
      region: config.region,
      endpoint: config.awsEndpoint,
      nameSuffix: config.nameSuffix,
    });
    configureBackend(this, id, config);

    const aws = AwsContext.of(this);
    const names = monitorNames(config, { region: config.region, accountId: aws.accountId });
    const shared = names.shared;

    this.key = new LabKey(this, "key", {
      aliasName: shared.keyAlias,
      logGroupNames: config.monitorVpcs.map((vpc) => names.ofVpc(vpc.id).logGroup),
      provider: untagged,
    });
    this.alarmTopic = new AlarmTopic(this, "alarm-topic", {
      topicName: shared.alarmTopic,
      email: config.alertEmail,
      key: this.key.key,
    });
    this.flowLogBucket = new FlowLogBucket(this, "flow-log-bucket", {
      bucketName: shared.flowLogBucket,
      flowLogExpirationDays: config.flowLogExpirationDays,
      queryResultExpirationDays: config.queryResultExpirationDays,
      // moto ignores policy conditions: its TLS-only deny would refuse every request (README, e2e gaps).
      enforceTls: config.awsEndpoint === undefined,
      // What the S3 flow logs deliver here; the flow logs and the Athena table take it from the bucket.
      format: config.flowLogFormat,
      storage: storageOf(config),
    });

    this.vpcs = config.monitorVpcs.map((vpc) => {
      const own = names.ofVpc(vpc.id);
      const scope = new Construct(this, vpc.id);
      // The detections were built from the given block: a VPC with another one fails the plan.
      const existing = new DataAwsVpc(scope, "vpc", {
        id: vpc.id,
        lifecycle: {
          postcondition: [
            {
              condition: `\${self.cidr_block == "${vpc.cidr.text}"}`,
              errorMessage: `LAB_MONITOR_VPCS gives ${vpc.id} the block ${vpc.cidr.text}, but its primary IPv4 block is another: set the VPC's own.`,
            },
            {
              // "Outside the VPC" and the port scan's destinations know one block: a second would be misread.
              condition: "${length(self.cidr_block_associations) == 1}",
              errorMessage: `${vpc.id} has more than one IPv4 block; the monitor stack's detections know only its primary one (${vpc.cidr.text}), so it does not watch this VPC.`,
            },
          ],
        },
      });
      const cloudWatchFlowLog = new CloudWatchFlowLog(scope, "cloudwatch-flow-log", {
        vpcId: existing.id,
        logGroupName: own.logGroup,
        key: this.key.key,
        retentionInDays: config.logRetentionDays,
        roleName: own.flowLogRole,
        policyName: own.flowLogPolicy,
        flowLogName: own.cloudWatchFlowLog,
        trafficType: config.trafficType,
        maxAggregationIntervalSeconds: config.aggregationIntervalSeconds,
        format: config.flowLogFormat,
      });
      const s3FlowLog = new S3FlowLog(scope, "s3-flow-log", {
        vpcId: existing.id,
        destination: this.flowLogBucket,
        flowLogName: own.s3FlowLog,
        trafficType: config.trafficType,
        maxAggregationIntervalSeconds: config.aggregationIntervalSeconds,
      });
      const monitoring = addFlowLogMonitoring(scope, {
        logGroup: cloudWatchFlowLog.logGroup,
        topic: this.alarmTopic.topic,
        names: own,
        region: config.region,
        settings: { ...config, vpcCidr: vpc.cidr },
      });
      return { vpcId: vpc.id, cloudWatchFlowLog, s3FlowLog, monitoring };
    });

    // The named queries that take no instance address (there is no lab instance here).
    this.athena = new FlowLogAthena(this, "athena", {
      bucket: this.flowLogBucket,
      databaseName: shared.glueDatabase,
      tableName: shared.glueTable,
      workgroupName: shared.athenaWorkgroup,
    });

    const outputs: Record<string, { value: string; description: string }> = {
      flow_log_bucket: {
        value: this.flowLogBucket.bucket.bucket,
        description: "S3 bucket of the flow logs and Athena results",
      },
      athena_workgroup: {
        value: this.athena.workgroup.name,
        description: "Athena workgroup to run the named queries in",
      },
      alarm_topic_arn: { value: this.alarmTopic.topic.arn, description: "SNS topic every alarm notifies" },
      log_group_names: {
        value: this.vpcs.map((v) => `${v.vpcId}=${names.ofVpc(v.vpcId).logGroup}`).join(","),
        description: "Each watched VPC's flow-log group",
      },
      dashboards: {
        value: this.vpcs.map((v) => names.ofVpc(v.vpcId).dashboard).join(","),
        description: "Each watched VPC's CloudWatch dashboard",
      },
      s3_flow_log_ids: {
        value: Fn.join(
          ",",
          this.vpcs.map((v) => `${v.vpcId}=${v.s3FlowLog.flowLog.id}`),
        ),
        description:
          "Each watched VPC's S3 flow log: its id is in the name of every file it writes (to select one VPC's files)",
      },
    };
    for (const [name, output] of Object.entries(outputs)) new TerraformOutput(this, name, output);
  }
}
