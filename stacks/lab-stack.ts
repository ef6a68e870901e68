import { Fn, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { LabConfig } from "../config/lab-config";
import { isArmInstanceType } from "../config/validators";
import { AlarmTopic } from "../constructs/alarm-topic";
import { CloudWatchFlowLog } from "../constructs/cloudwatch-flow-log";
import { FlowLogAthena } from "../constructs/flow-log-athena";
import { FlowLogBucket } from "../constructs/flow-log-bucket";
import { IcmpEgressDenyRule } from "../constructs/icmp-egress-deny-rule";
import { LabInstance } from "../constructs/lab-instance";
import { LabKey } from "../constructs/lab-key";
import { LabNetwork } from "../constructs/lab-network";
import { PingDenyAlarm } from "../constructs/ping-deny-alarm";
import { S3FlowLog } from "../constructs/s3-flow-log";
import { SshSecurityGroup } from "../constructs/ssh-security-group";
import { PING_DENY_ALARM, PING_DENY_FILTER } from "../monitoring/ping-deny";
import { labAwsProvider } from "./aws-provider";
import { withSuffix } from "../config/names";
import { configureBackend } from "./remote-state";

/** The whole walkthrough lab, with the walkthrough's names (plus the optional suffix). */
export class LabStack extends TerraformStack {
  readonly network: LabNetwork;
  readonly cloudWatchFlowLog: CloudWatchFlowLog;
  readonly flowLogBucket: FlowLogBucket;
  readonly s3FlowLog: S3FlowLog;
  readonly sshSecurityGroup: SshSecurityGroup;
  readonly instance: LabInstance;
  readonly icmpEgressDeny?: IcmpEgressDenyRule;
  readonly alarmTopic: AlarmTopic;
  readonly pingDenyAlarm: PingDenyAlarm;
  readonly athena: FlowLogAthena;
  readonly key: LabKey;

  constructor(scope: Construct, id: string, config: LabConfig) {
    super(scope, id);
    const suffix = config.nameSuffix;
    const name = (base: string) => withSuffix(base, suffix);

    labAwsProvider(this, { region: config.region, endpoint: config.awsEndpoint, nameSuffix: suffix });
    configureBackend(this, id, config);

    this.network = new LabNetwork(this, "network", {
      vpcName: name("Lab-VPC-Flow-Logs"),
      vpcCidr: config.vpcCidr,
      subnetName: name("Lab-VPC-Flow-Log-Subnet"),
      subnetCidr: config.subnetCidr,
      availabilityZone: config.availabilityZone,
      internetGatewayName: name("Lab-VPC-Flow-Log-IG"),
    });
    const vpcId = this.network.vpc.id;

    const logGroupName = name("Lab-VPC-Flow-Log-Group");
    this.key = new LabKey(this, "key", {
      aliasName: `alias/${name("Lab-VPC-Flow-Logs")}`,
      logGroupNames: [logGroupName],
    });

    this.cloudWatchFlowLog = new CloudWatchFlowLog(this, "cloudwatch-flow-log", {
      vpcId,
      logGroupName,
      kmsKeyArn: this.key.key.arn,
      retentionInDays: config.logRetentionDays,
      roleName: name("flowlogsRole"),
      policyName: name("flowlogsPolicy"),
      flowLogName: name("VPC-Flow-Log-Cloudwatch"),
      trafficType: config.trafficType,
      maxAggregationIntervalSeconds: config.aggregationIntervalSeconds,
    });

    this.flowLogBucket = new FlowLogBucket(this, "flow-log-bucket", {
      bucketName: config.flowLogBucket,
      bucketPrefix: name("lab-vpc-flow-log-bucket") + "-",
      flowLogExpirationDays: config.flowLogExpirationDays,
      queryResultExpirationDays: config.queryResultExpirationDays,
      // moto ignores policy conditions: its TLS-only deny would refuse every request (README, e2e gaps).
      enforceTls: config.awsEndpoint === undefined,
    });

    this.s3FlowLog = new S3FlowLog(this, "s3-flow-log", {
      vpcId,
      destination: this.flowLogBucket,
      flowLogName: name("Lab-VPC-Flow-Log-S3"),
      trafficType: config.trafficType,
      maxAggregationIntervalSeconds: config.aggregationIntervalSeconds,
    });

    this.sshSecurityGroup = new SshSecurityGroup(this, "ssh-security-group", {
      vpcId,
      name: name("Lab-SSH"),
      allowInstanceConnect: config.instanceConnect,
      sshCidrs: config.sshCidrs,
      openToWorld: config.sshOpenToWorld,
    });

    this.instance = new LabInstance(this, "instance", {
      subnetId: this.network.subnet.id,
      securityGroupIds: [this.sshSecurityGroup.securityGroup.id],
      instanceType: config.instanceType,
      os: config.amiOs,
      architecture: isArmInstanceType(config.instanceType) ? "arm64" : "x86_64",
      name: name("Lab-VPC-Flow-Log-Instance"),
    });

    if (config.denyIcmpEgress) {
      // The subnet has no ACL of its own, so it uses the VPC's default network ACL.
      this.icmpEgressDeny = new IcmpEgressDenyRule(this, "icmp-egress-deny", {
        networkAclId: this.network.vpc.defaultNetworkAclId,
      });
    }

    this.alarmTopic = new AlarmTopic(this, "alarm-topic", {
      topicName: name("CloudWatch_Alarms_Ping_Deny"),
      email: config.alertEmail,
      key: this.key.key,
    });

    this.pingDenyAlarm = new PingDenyAlarm(this, "ping-deny-alarm", {
      logGroupName: this.cloudWatchFlowLog.logGroup.name,
      alarmTopicArn: this.alarmTopic.topic.arn,
      filter: {
        ...PING_DENY_FILTER,
        filterName: name(PING_DENY_FILTER.filterName),
        metricNamespace: name(PING_DENY_FILTER.metricNamespace),
      },
      alarm: { ...PING_DENY_ALARM, alarmName: name(PING_DENY_ALARM.alarmName) },
    });

    const privateIp = this.instance.instance.privateIp;
    this.athena = new FlowLogAthena(this, "athena", {
      bucket: this.flowLogBucket,
      databaseName: withSuffix("lab", suffix, "_"),
      workgroupName: name("lab-vpc-flow-logs"),
      queryParams: { source: privateIp, destination: privateIp },
    });

    this.addOutputs(config);
  }

  private addOutputs(config: LabConfig): void {
    const instance = this.instance.instance;
    const outputs: Record<string, { value: string; description: string }> = {
      instance_id: { value: instance.id, description: "EC2 instance id" },
      instance_public_ip: { value: instance.publicIp, description: "Public IP of the instance" },
      instance_private_ip: {
        value: instance.privateIp,
        description: "Private IP of the instance (the source in the ICMP query)",
      },
      instance_connect_url: {
        value: `https://${config.region}.console.aws.amazon.com/ec2-instance-connect/ssh?region=${config.region}&connType=standard&instanceId=${instance.id}&osUser=ec2-user&sshPort=22`,
        description: "Open in a browser to connect with EC2 Instance Connect",
      },
      vpc_id: { value: this.network.vpc.id, description: "VPC id" },
      subnet_id: { value: this.network.subnet.id, description: "Subnet id" },
      log_group_name: {
        value: this.cloudWatchFlowLog.logGroup.name,
        description: "CloudWatch log group of the flow logs",
      },
      flow_log_bucket: {
        value: this.flowLogBucket.bucket.bucket,
        description: "S3 bucket of the flow logs and Athena results",
      },
      athena_workgroup: {
        value: this.athena.workgroup.name,
        description: "Athena workgroup to run the named queries in",
      },
      athena_database: { value: this.athena.database.name, description: "Glue/Athena database" },
      athena_table: { value: this.athena.table.name, description: "Athena table over the S3 flow logs" },
      alarm_topic_arn: { value: this.alarmTopic.topic.arn, description: "SNS topic the alarm notifies" },
      alarm_name: { value: this.pingDenyAlarm.alarm.alarmName, description: "CloudWatch alarm on rejected pings" },
      named_queries: {
        value: Fn.join(
          ",",
          Object.values(this.athena.namedQueries).map((q) => q.name),
        ),
        description: "Athena named queries in the workgroup",
      },
    };
    for (const [id, output] of Object.entries(outputs)) new TerraformOutput(this, id, output);
  }
}
