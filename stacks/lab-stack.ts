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
import { S3FlowLog } from "../constructs/s3-flow-log";
import { storageOf } from "../monitoring/flow-log-storage";
import { SshSecurityGroup } from "../constructs/ssh-security-group";
import { labAwsProviders } from "./aws-provider";
import { labArns, labNames } from "../config/names";
import { AwsContext } from "../constructs/aws-context";
import { configureBackend } from "./remote-state";
import { addFlowLogMonitoring, type FlowLogMonitoring } from "./flow-log-monitoring";

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
  readonly monitoring: FlowLogMonitoring;
  readonly athena: FlowLogAthena;
  readonly key: LabKey;

  constructor(scope: Construct, id: string, config: LabConfig) {
    super(scope, id);
    // The key is created with the untagged provider: tagging a key at creation needs kms:TagResource
    // on every key of the account.
    const { untagged } = labAwsProviders(this, {
      region: config.region,
      endpoint: config.awsEndpoint,
      nameSuffix: config.nameSuffix,
    });
    configureBackend(this, id, config);

    const aws = AwsContext.of(this);
    const where = { partition: aws.partition, region: config.region, accountId: aws.accountId };
    const names = labNames(config, where);
    const arns = labArns(names, where);
    // Run from CI (the state-backend stack creates the CI roles): the roles this stack creates carry the
    // permissions boundary the apply role must set, and the key's policy lets the CI roles manage and read it.
    const ci = config.githubRepository !== undefined;
    const permissionsBoundaryArn = ci ? arns.ciBoundary : undefined;

    this.network = new LabNetwork(this, "network", {
      vpcName: names.vpc,
      vpcCidr: config.vpcCidr.text,
      subnetName: names.subnet,
      subnetCidr: config.subnetCidr.text,
      availabilityZone: config.availabilityZone,
      internetGatewayName: names.internetGateway,
      routeTableName: names.routeTable,
      networkAclName: names.networkAcl,
    });
    const vpcId = this.network.vpc.id;

    this.key = new LabKey(this, "key", {
      aliasName: names.keyAlias,
      logGroupNames: [names.logGroup],
      administratorArns: ci ? [arns.ciApplyRole] : [],
      readerArns: ci ? [arns.ciPlanRole] : [],
      provider: untagged,
    });

    this.cloudWatchFlowLog = new CloudWatchFlowLog(this, "cloudwatch-flow-log", {
      vpcId,
      logGroupName: names.logGroup,
      key: this.key.key,
      retentionInDays: config.logRetentionDays,
      roleName: names.flowLogRole,
      policyName: names.flowLogPolicy,
      flowLogName: names.cloudWatchFlowLog,
      trafficType: config.trafficType,
      maxAggregationIntervalSeconds: config.aggregationIntervalSeconds,
      format: config.flowLogFormat,
      permissionsBoundaryArn,
    });

    this.flowLogBucket = new FlowLogBucket(this, "flow-log-bucket", {
      bucketName: names.flowLogBucket,
      flowLogExpirationDays: config.flowLogExpirationDays,
      queryResultExpirationDays: config.queryResultExpirationDays,
      // moto ignores policy conditions: its TLS-only deny would refuse every request (README, e2e gaps).
      enforceTls: config.awsEndpoint === undefined,
      // What the S3 flow logs deliver here; the flow logs and the Athena table take it from the bucket.
      format: config.flowLogFormat,
      storage: storageOf(config),
    });

    this.s3FlowLog = new S3FlowLog(this, "s3-flow-log", {
      vpcId,
      destination: this.flowLogBucket,
      flowLogName: names.s3FlowLog,
      trafficType: config.trafficType,
      maxAggregationIntervalSeconds: config.aggregationIntervalSeconds,
    });

    this.sshSecurityGroup = new SshSecurityGroup(this, "ssh-security-group", {
      vpcId,
      name: names.securityGroup,
      allowInstanceConnect: config.instanceConnect,
      sshCidrs: config.sshCidrs,
      openToWorld: config.sshOpenToWorld,
      egress: config.instanceEgress,
    });

    this.instance = new LabInstance(this, "instance", {
      subnetId: this.network.subnet.id,
      securityGroupIds: [this.sshSecurityGroup.securityGroup.id],
      instanceType: config.instanceType,
      os: config.amiOs,
      architecture: isArmInstanceType(config.instanceType) ? "arm64" : "x86_64",
      name: names.instance,
      roleName: names.instanceRole,
      permissionsBoundaryArn,
    });

    if (config.denyIcmpEgress) {
      this.icmpEgressDeny = new IcmpEgressDenyRule(this, "icmp-egress-deny", {
        networkAclId: this.network.networkAcl.id,
      });
    }

    this.alarmTopic = new AlarmTopic(this, "alarm-topic", {
      topicName: names.alarmTopic,
      email: config.alertEmail,
      key: this.key.key,
    });

    this.monitoring = addFlowLogMonitoring(this, {
      logGroup: this.cloudWatchFlowLog.logGroup,
      topic: this.alarmTopic.topic,
      names,
      region: config.region,
      settings: config,
    });

    const privateIp = this.instance.instance.privateIp;
    this.athena = new FlowLogAthena(this, "athena", {
      bucket: this.flowLogBucket,
      databaseName: names.glueDatabase,
      tableName: names.glueTable,
      workgroupName: names.athenaWorkgroup,
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
      alarm_name: {
        value: this.monitoring.pingDenyAlarm.alarm.alarmName,
        description: "CloudWatch alarm on rejected pings",
      },
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
