import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KNOWN_FIELDS } from "../../monitoring/flow-log-fields";
import { dataRef, only, policyOf, ref, resources, synthLab } from "../helpers";

describe("lab stack with defaults", () => {
  const { json, tf } = synthLab();

  test("has every resource of the walkthrough", () => {
    const expected = {
      aws_vpc: 1,
      aws_subnet: 1,
      aws_internet_gateway: 1,
      aws_route: 1,
      aws_route_table: 1,
      aws_route_table_association: 1,
      aws_network_acl: 1,
      aws_cloudwatch_log_group: 1,
      aws_iam_role: 2, // flowlogsRole and the instance's role
      aws_iam_policy: 1,
      aws_flow_log: 2,
      aws_s3_bucket: 1,
      aws_security_group: 1,
      aws_instance: 1,
      aws_network_acl_rule: 3, // allow-all in and out (rule 100), deny ICMP out (rule 90)
      aws_cloudwatch_log_metric_filter: 4, // ping deny, SSH/RDP rejected from outside, SKIPDATA and every record
      // and flow-log silence (the group's own metric), port scan (Contributor Insights)
      aws_cloudwatch_metric_alarm: 5,
      aws_cloudwatch_contributor_insight_rule: 4, // top talkers, rejected TCP, port scan's ports and sources
      aws_sns_topic: 1,
      aws_athena_workgroup: 1,
      aws_glue_catalog_database: 1,
      aws_glue_catalog_table: 1,
    };
    for (const [type, count] of Object.entries(expected))
      expect([type, Object.keys(resources(tf, type)).length]).toEqual([type, count]);
  });

  test("both flow logs watch the lab's VPC", () => {
    for (const flowLog of Object.values(resources(tf, "aws_flow_log")))
      expect(flowLog.vpc_id).toBe(ref(tf, "aws_vpc", "id"));
  });

  test("the ICMP deny rule 90 is in the subnet's own network ACL", () => {
    const rule90 = Object.values(resources(tf, "aws_network_acl_rule")).filter((r) => r.rule_number === 90);
    expect(rule90).toEqual([
      expect.objectContaining({ network_acl_id: ref(tf, "aws_network_acl", "id"), egress: true }),
    ]);
    expect(only(tf, "aws_network_acl").body.subnet_ids).toEqual([ref(tf, "aws_subnet", "id")]);
  });

  test("the key is created by the untagged provider, its alias too (no kms:TagResource for CI)", () => {
    const untagged = tf.provider?.aws.find((p) => (p as { alias?: string }).alias === "untagged") as Record<
      string,
      unknown
    >;
    expect(untagged).toBeDefined();
    expect(untagged).not.toHaveProperty("default_tags");
    expect(only(tf, "aws_kms_key").body.provider).toBe("aws.untagged");
    expect(only(tf, "aws_kms_alias").body.provider).toBe("aws.untagged");
  });

  test("run by hand (no CI roles): no permissions boundary, the key's policy names no CI role", () => {
    for (const role of Object.values(resources(tf, "aws_iam_role")))
      expect(role).not.toHaveProperty("permissions_boundary");
    const sids = policyOf(only(tf, "aws_kms_key").body).Statement.map((st) => st.Sid);
    expect(sids).not.toContain("RolesAdminister");
    expect(sids).not.toContain("RolesRead");
  });

  test("the instance sits in the subnet behind Lab-SSH", () => {
    expect(only(tf, "aws_instance").body).toMatchObject({
      subnet_id: ref(tf, "aws_subnet", "id"),
      vpc_security_group_ids: [ref(tf, "aws_security_group", "id")],
    });
  });

  test("one customer-managed key encrypts the log group and the alarm topic", () => {
    const keyArn = ref(tf, "aws_kms_key", "arn");
    expect(only(tf, "aws_cloudwatch_log_group").body.kms_key_id).toBe(keyArn);
    expect(only(tf, "aws_sns_topic").body.kms_master_key_id).toBe(keyArn);
    const logs = policyOf(only(tf, "aws_kms_key").body).Statement.find((s) => s.Sid === "CloudWatchLogsEncrypt");
    expect(JSON.stringify(logs?.Condition)).toContain(":log-group:Lab-VPC-Flow-Log-Group");
  });

  test("every metric filter reads the CloudWatch flow log's group; every alarm notifies the topic", () => {
    for (const filter of Object.values(resources(tf, "aws_cloudwatch_log_metric_filter")))
      expect(filter.log_group_name).toBe(ref(tf, "aws_cloudwatch_log_group", "name"));
    for (const alarm of Object.values(resources(tf, "aws_cloudwatch_metric_alarm")))
      expect(alarm.alarm_actions).toEqual([ref(tf, "aws_sns_topic", "arn")]);
  });

  test("the walkthrough's ICMP query takes the instance's private IP from its attribute", () => {
    const icmp = Object.values(resources(tf, "aws_athena_named_query")).find((q) => q.name === "IcmpFromSource");
    expect(icmp?.query).toContain(`WHERE source = '${ref(tf, "aws_instance", "private_ip")}' AND protocol = 1`);
  });

  test("the Athena table reads the bucket the S3 flow log writes to", () => {
    const s3FlowLog = Object.values(resources(tf, "aws_flow_log")).find((f) => f.log_destination_type === "s3");
    expect(s3FlowLog?.log_destination).toBe(ref(tf, "aws_s3_bucket", "arn"));
    const table = only(tf, "aws_glue_catalog_table").body as { storage_descriptor: { location: string } };
    expect(table.storage_descriptor.location.startsWith(`s3://${ref(tf, "aws_s3_bucket", "bucket")}/AWSLogs/`)).toBe(
      true,
    );
  });

  test("the provider targets us-east-1 and tags everything", () => {
    expect(json).toHaveProviderWithProperties(AwsProvider, {
      region: "us-east-1",
      default_tags: [{ tags: { Project: "vpc-flow-logs-lab", ManagedBy: "cdktf" } }],
    });
    expect(tf.provider?.aws[0]).not.toHaveProperty("endpoints");
    expect(tf.provider?.aws[0]).not.toHaveProperty("skip_credentials_validation");
  });

  test("without a state bucket the state stays local", () => {
    // An absolute path in the project folder: deleting cdktf.out must not delete state.
    expect(tf.terraform.backend).toEqual({ local: { path: join(process.cwd(), "terraform.lab.tfstate") } });
  });

  test("outputs what a user needs next", () => {
    expect(Object.keys(tf.output ?? {}).sort()).toEqual([
      "alarm_name",
      "alarm_topic_arn",
      "athena_database",
      "athena_table",
      "athena_workgroup",
      "flow_log_bucket",
      "instance_connect_url",
      "instance_id",
      "instance_private_ip",
      "instance_public_ip",
      "log_group_name",
      "named_queries",
      "subnet_id",
      "vpc_id",
    ]);
    expect(tf.output?.instance_connect_url.value).toBe(
      `https://us-east-1.console.aws.amazon.com/ec2-instance-connect/ssh?region=us-east-1&connType=standard&instanceId=${ref(tf, "aws_instance", "id")}&osUser=ec2-user&sshPort=22`,
    );
    expect(tf.output?.instance_private_ip.value).toBe(ref(tf, "aws_instance", "private_ip"));
  });
});

describe("lab stack settings", () => {
  test("a state bucket selects the S3 backend with encryption and S3-native locking", () => {
    const { tf } = synthLab({ LAB_STATE_BUCKET: "my-state", LAB_STATE_REGION: "eu-west-1" });
    expect(tf.terraform.backend).toEqual({
      s3: {
        bucket: "my-state",
        key: "vpc-flow-logs-lab/default/lab.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  test("the name suffix reaches the state key (every name: __tests__/config/names.test.ts)", () => {
    const { tf } = synthLab({ LAB_NAME_SUFFIX: "dev", LAB_STATE_BUCKET: "my-state" });
    expect((tf.terraform.backend as { s3: { key: string } }).s3.key).toBe("vpc-flow-logs-lab/dev/lab.tfstate");
  });

  test("LAB_DENY_ICMP_EGRESS=false leaves the NACL rule out (the walkthrough's first step)", () => {
    const rules = Object.values(resources(synthLab({ LAB_DENY_ICMP_EGRESS: "false" }).tf, "aws_network_acl_rule"));
    expect(rules.map((r) => r.rule_number)).toEqual([100, 100]);
  });

  test("run from CI: the lab's roles carry the boundary, the key's policy lets the CI roles manage and read it", () => {
    const { tf } = synthLab({ LAB_GITHUB_REPOSITORY: "octo/lab", LAB_NAME_SUFFIX: "dev" });
    const account = dataRef(tf, "aws_caller_identity", "account_id");
    const partition = dataRef(tf, "aws_partition", "partition");
    for (const role of Object.values(resources(tf, "aws_iam_role")))
      expect(role.permissions_boundary).toBe(`arn:${partition}:iam::${account}:policy/lab-ci-boundary-dev`);
    const statements = policyOf(only(tf, "aws_kms_key").body).Statement;
    expect(statements.find((st) => st.Sid === "RolesAdminister")?.Principal).toEqual({
      AWS: [`arn:${partition}:iam::${account}:role/lab-ci-apply-dev`],
    });
    expect(statements.find((st) => st.Sid === "RolesRead")?.Principal).toEqual({
      AWS: [`arn:${partition}:iam::${account}:role/lab-ci-plan-dev`],
    });
  });

  test("a Graviton instance type gets the arm64 AMI", () => {
    const { tf } = synthLab({ LAB_INSTANCE_TYPE: "t4g.micro" });
    const parameter = Object.values(tf.data?.aws_ssm_parameter ?? {})[0];
    expect(parameter.name).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
  });

  test("settings reach their resources", () => {
    const { tf } = synthLab({
      LAB_REGION: "eu-west-1",
      LAB_VPC_CIDR: "10.1.0.0/16",
      LAB_SUBNET_CIDR: "10.1.2.0/24",
      LAB_INSTANCE_TYPE: "t3.small",
      LAB_LOG_RETENTION_DAYS: "7",
      LAB_ALERT_EMAIL: "ops@example.com",
      LAB_FLOW_LOG_BUCKET: "my-flow-logs",
      LAB_AGGREGATION_INTERVAL: "600",
    });
    expect(tf.provider?.aws[0]).toMatchObject({ region: "eu-west-1" });
    expect(only(tf, "aws_vpc").body.cidr_block).toBe("10.1.0.0/16");
    expect(only(tf, "aws_subnet").body).toMatchObject({ cidr_block: "10.1.2.0/24", availability_zone: "eu-west-1a" });
    expect(only(tf, "aws_instance").body.instance_type).toBe("t3.small");
    expect(only(tf, "aws_cloudwatch_log_group").body.retention_in_days).toBe(7);
    expect(only(tf, "aws_sns_topic_subscription").body).toMatchObject({
      protocol: "email",
      endpoint: "ops@example.com",
    });
    expect(only(tf, "aws_s3_bucket").body.bucket).toBe("my-flow-logs");
    for (const flowLog of Object.values(resources(tf, "aws_flow_log")))
      expect(flowLog.max_aggregation_interval).toBe(600);
    expect(tf.output?.instance_connect_url.value).toMatch(
      /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/.*region=eu-west-1&/,
    );
  });

  test("the extended format and the S3 storage options reach both flow logs, the filters and the table", () => {
    const { tf } = synthLab({
      LAB_FLOW_LOG_FORMAT: "extended",
      LAB_FLOW_LOG_FILE_FORMAT: "parquet",
      LAB_FLOW_LOG_HIVE_PARTITIONS: "true",
      LAB_FLOW_LOG_PER_HOUR: "true",
    });
    const extended = KNOWN_FIELDS.map((f) => "$${" + f.field + "}").join(" ");
    const flowLogs = Object.values(resources(tf, "aws_flow_log"));
    for (const flowLog of flowLogs) expect(flowLog.log_format).toBe(extended);
    const s3 = flowLogs.find((f) => f.log_destination_type === "s3")!;
    expect(s3.destination_options).toEqual({
      file_format: "parquet",
      hive_compatible_partitions: true,
      per_hour_partition: true,
    });
    // Destination options are an S3 destination's: AWS refuses them on a CloudWatch Logs flow log.
    expect(flowLogs.find((f) => f.log_destination_type !== "s3")!.destination_options).toBeUndefined();
    // Every positional pattern names all 29 fields: CloudWatch matches a pattern only on as many fields.
    const filters = Object.values(resources(tf, "aws_cloudwatch_log_metric_filter"));
    expect(filters).toHaveLength(4);
    for (const filter of filters) {
      const pattern = filter.pattern as string;
      for (const f of KNOWN_FIELDS)
        expect([f.column, pattern]).toEqual([f.column, expect.stringMatching(new RegExp(`[[ ]${f.column}\\b`))]);
      expect(pattern).toMatch(/, flowlogstatus(="SKIPDATA")?, vpc_id, subnet_id, .*, flow_direction, traffic_path\]$/);
    }
    const table = only(tf, "aws_glue_catalog_table").body as {
      partition_keys: { name: string }[];
      storage_descriptor: { columns: unknown[]; ser_de_info: { serialization_library: string } };
    };
    expect(table.storage_descriptor.columns).toHaveLength(KNOWN_FIELDS.length);
    expect(table.storage_descriptor.ser_de_info.serialization_library).toMatch(/ParquetHiveSerDe$/);
    expect(table.partition_keys.map((k) => k.name)).toEqual(["year", "month", "day", "hour"]);
    const queries = Object.values(resources(tf, "aws_athena_named_query")).map((q) => q.name);
    expect(queries).toEqual(expect.arrayContaining(["TopTalkingInstances", "TopTalkersPacketLevel"]));
  });

  test("an AWS endpoint points the provider and the backend at the emulator", () => {
    const endpoint = "http://127.0.0.1:4566";
    const { tf } = synthLab({ LAB_AWS_ENDPOINT: endpoint, LAB_STATE_BUCKET: "state" });
    const provider = tf.provider?.aws[0] as Record<string, unknown>;
    expect(provider).toMatchObject({
      s3_use_path_style: true,
      skip_credentials_validation: true,
      skip_metadata_api_check: "true",
    });
    const endpoints = (provider.endpoints as Record<string, string>[])[0];
    for (const service of [
      "ec2",
      "s3",
      "iam",
      "sts",
      "cloudwatchlogs",
      "cloudwatch",
      "sns",
      "kms",
      "athena",
      "glue",
      "ssm",
    ]) {
      expect([service, endpoints[service]]).toEqual([service, endpoint]);
    }
    expect(tf.terraform.backend).toMatchObject({
      s3: {
        endpoints: { s3: endpoint, sts: endpoint, iam: endpoint },
        use_path_style: true,
        skip_credentials_validation: true,
      },
    });
  });
});

test("emulator mode leaves out the TLS-only deny statements, which moto applies to every request", () => {
  const sids = (env: Record<string, string>) =>
    policyOf(only(synthLab(env).tf, "aws_s3_bucket_policy").body).Statement.map((s) => s.Sid);
  expect(sids({})).toContain("DenyInsecureTransport");
  expect(sids({ LAB_AWS_ENDPOINT: "https://127.0.0.1:4566" })).toEqual([
    "AWSLogDeliveryWrite",
    "AWSLogDeliveryAclCheck",
  ]);
});
