/** The monitor stack: the lab's monitoring on existing VPCs (LAB_MONITOR_VPCS), and nothing else. */
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { loadConfig } from "../../config/lab-config";
import { parseIpv4Cidr, type Ipv4Cidr } from "../../config/cidr";
import { buildApp } from "../../main";
import { sshRdpRejectedFilter } from "../../monitoring/ssh-rdp-rejected";
import { policyOf, ref, resources, synthMonitor } from "../helpers";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";

const A = "vpc-0a1b2c3d4e5f67890";
const B = "vpc-1234abcd";
const TWO = { LAB_MONITOR_VPCS: `${A}=10.1.0.0/16, ${B}=172.31.0.0/16`, LAB_NAME_SUFFIX: "x" };
const block = (text: string) => parseIpv4Cidr(text) as Ipv4Cidr;

describe("which stacks the app has", () => {
  const stacks = (env: Record<string, string>) =>
    (buildApp(loadConfig(env)).node.children as { node: { id: string } }[])
      .map((c) => c.node.id)
      .filter((id) => id !== "backend");

  it("no monitor stack without LAB_MONITOR_VPCS; one with it", () => {
    expect(stacks({})).not.toContain("monitor");
    expect(stacks(TWO)).toContain("monitor");
  });
});

describe("with two VPCs", () => {
  const { json, tf } = synthMonitor(TWO);
  const groups = Object.entries(resources(tf, "aws_cloudwatch_log_group"));
  const groupRef = (vpc: string) => {
    const [id] = groups.find(([, g]) => g.name === `Lab-VPC-Flow-Log-Group-x-mon-${vpc}`)!;
    return `\${aws_cloudwatch_log_group.${id}.name}`;
  };

  it("creates no network, instance, ACL or security group: it only watches", () => {
    for (const type of [
      "aws_vpc",
      "aws_subnet",
      "aws_instance",
      "aws_network_acl",
      "aws_network_acl_rule",
      "aws_security_group",
      "aws_internet_gateway",
    ])
      expect([type, Object.keys(resources(tf, type))]).toEqual([type, []]);
  });

  it("a VPC with a second IPv4 block fails the plan too (the detections know one)", () => {
    for (const v of Object.values(tf.data?.aws_vpc ?? {}))
      expect((v.lifecycle as { postcondition: { condition: string }[] }).postcondition[1].condition).toBe(
        "${length(self.cidr_block_associations) == 1}",
      );
  });

  it("reads each VPC and fails the plan when its block is not the one given", () => {
    const vpcs = Object.values(tf.data?.aws_vpc ?? {});
    expect(
      vpcs.map((v) => [v.id, (v.lifecycle as { postcondition: { condition: string }[] }).postcondition[0].condition]),
    ).toEqual([
      [A, '${self.cidr_block == "10.1.0.0/16"}'],
      [B, '${self.cidr_block == "172.31.0.0/16"}'],
    ]);
  });

  it("flows each VPC to its own log group and to the shared bucket", () => {
    const vpcRef = (vpc: string) => {
      const [id] = Object.entries(tf.data?.aws_vpc ?? {}).find(([, v]) => v.id === vpc)!;
      return `\${data.aws_vpc.${id}.id}`;
    };
    for (const vpc of [A, B]) {
      const [groupId] = groups.find(([, g]) => g.name === `Lab-VPC-Flow-Log-Group-x-mon-${vpc}`)!;
      expect(json).toHaveResourceWithProperties(FlowLog, {
        vpc_id: vpcRef(vpc),
        log_destination_type: "cloud-watch-logs",
        log_destination: `\${aws_cloudwatch_log_group.${groupId}.arn}`,
      });
      expect(json).toHaveResourceWithProperties(FlowLog, {
        vpc_id: vpcRef(vpc),
        log_destination_type: "s3",
        log_destination: ref(tf, "aws_s3_bucket", "arn"),
      });
    }
    expect(Object.keys(resources(tf, "aws_flow_log"))).toHaveLength(4);
    expect(groups.map(([, g]) => g.name).sort()).toEqual([
      `Lab-VPC-Flow-Log-Group-x-mon-${A}`,
      `Lab-VPC-Flow-Log-Group-x-mon-${B}`,
    ]);
  });

  it("builds each VPC's detections from its own block, on its own log group, notifying the one topic", () => {
    const filters = Object.values(resources(tf, "aws_cloudwatch_log_metric_filter"));
    for (const [vpc, cidr] of [
      [A, "10.1.0.0/16"],
      [B, "172.31.0.0/16"],
    ]) {
      expect(filters.find((f) => f.name === `Lab-VPC-Flow-Log-SSH-RDP-Reject-x-mon-${vpc}`)).toMatchObject({
        log_group_name: groupRef(vpc),
        pattern: sshRdpRejectedFilter(block(cidr), FLOW_LOG_FIELDS).pattern,
      });
    }
    const rules = Object.values(resources(tf, "aws_cloudwatch_contributor_insight_rule"));
    const scan = rules.find((r) => r.rule_name === `Lab-VPC-Flow-Log-Port-Scan-Ports-x-mon-${B}`)!;
    expect(JSON.parse(String(scan.rule_definition)).Contribution.Filters).toContainEqual({
      Match: "dstaddr",
      StartsWith: ["172.31."],
    });
    const alarms = Object.values(resources(tf, "aws_cloudwatch_metric_alarm"));
    expect(alarms).toHaveLength(10);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([ref(tf, "aws_sns_topic", "arn")]);
    expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: `CloudWatch-Alarm-Port-Scan-x-mon-${A}`,
    });
  });

  it("a dashboard and saved queries per VPC", () => {
    expect(
      Object.values(resources(tf, "aws_cloudwatch_dashboard"))
        .map((d) => d.dashboard_name)
        .sort(),
    ).toEqual([`Lab-VPC-Flow-Log-Monitoring-x-mon-${A}`, `Lab-VPC-Flow-Log-Monitoring-x-mon-${B}`]);
    const folders = new Set(
      Object.values(resources(tf, "aws_cloudwatch_query_definition")).map((q) => String(q.name).split("/")[0]),
    );
    expect([...folders].sort()).toEqual([`Lab-VPC-Flow-Logs-x-mon-${A}`, `Lab-VPC-Flow-Logs-x-mon-${B}`]);
  });

  it("the key lets CloudWatch Logs use it for both VPCs' groups, and nothing else is given to CI", () => {
    const [key] = Object.values(resources(tf, "aws_kms_key"));
    const text = JSON.stringify(policyOf(key));
    for (const vpc of [A, B]) expect(text).toContain(`log-group:Lab-VPC-Flow-Log-Group-x-mon-${vpc}`);
    expect(text).not.toContain("lab-ci-");
  });

  it("Athena over the shared bucket, without the queries that need the lab instance's address", () => {
    const queries = Object.values(resources(tf, "aws_athena_named_query")).map((q) => q.name);
    expect(queries).toContain("RejectedTraffic");
    expect(queries).not.toContain("IcmpFromSource");
    expect(Object.values(resources(tf, "aws_glue_catalog_database"))[0].name).toBe("lab_x_mon");
  });

  it("keeps its state under its own key in the state bucket", () => {
    const remote = synthMonitor({ ...TWO, LAB_STATE_BUCKET: "acme-state" }).tf;
    expect((remote.terraform.backend as { s3: { key: string } }).s3.key).toBe("vpc-flow-logs-lab/x/monitor.tfstate");
  });
});
