import { ConfigError, loadConfig } from "../../config/lab-config";
import { SETTINGS } from "../../config/settings";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("defaults are the walkthrough's values", () => {
  const { config } = loadConfig({});

  test.each([
    ["region", "us-east-1"],
    ["availabilityZone", "us-east-1a"],
    ["instanceType", "t2.micro"],
    ["amiOs", "al2023"],
    ["nameSuffix", ""],
    ["sshOpenToWorld", false],
    ["instanceConnect", true],
    ["denyIcmpEgress", true],
    ["logRetentionDays", 0],
    ["trafficType", "ALL"],
    ["aggregationIntervalSeconds", 60],
    ["flowLogExpirationDays", 365],
    ["queryResultExpirationDays", 30],
    ["stateRegion", "us-east-1"],
    ["stateBackendInBucket", false],
    ["githubEnvironment", "production"],
    ["instanceEgress", "lab"],
    ["stateBucketForceDestroy", false],
  ])("%s = %p", (key, expected) => {
    expect(config[key as keyof typeof config]).toEqual(expected);
  });

  test("CIDR blocks are parsed once: the VPC's 10.0.0.0/24, the subnet's 10.0.0.0/26", () => {
    expect(config.vpcCidr).toEqual({ address: 10 * 2 ** 24, prefix: 24, text: "10.0.0.0/24" });
    expect(config.subnetCidr).toEqual({ address: 10 * 2 ** 24, prefix: 26, text: "10.0.0.0/26" });
  });

  test("optional settings stay unset", () => {
    expect(config.alertEmail).toBeUndefined();
    expect(config.stateBucket).toBeUndefined();
    expect(config.flowLogBucket).toBeUndefined();
    expect(config.awsEndpoint).toBeUndefined();
    expect(config.sshCidrs).toEqual([]);
  });
});

describe("overrides", () => {
  test("every setting is read from its LAB_ variable", () => {
    const { config } = loadConfig({
      LAB_REGION: "eu-west-1",
      LAB_AVAILABILITY_ZONE: "eu-west-1b",
      LAB_NAME_SUFFIX: "dev2",
      LAB_VPC_CIDR: "172.16.0.0/16",
      LAB_SUBNET_CIDR: "172.16.8.0/24",
      LAB_INSTANCE_TYPE: "t4g.small",
      LAB_AMI_OS: "al2",
      LAB_ALERT_EMAIL: "ops@example.com",
      LAB_SSH_CIDRS: "203.0.113.7/32, 198.51.100.0/24",
      LAB_SSH_OPEN_TO_WORLD: "yes",
      LAB_SSH_RDP_ALARM_THRESHOLD: "25",
      LAB_PORT_SCAN_PORTS: "50",
      LAB_SKIPDATA_PERCENT: "5",
      LAB_MONITOR_VPCS: "vpc-0a1b2c3d4e5f67890=10.1.0.0/16, vpc-1234abcd=10.2.0.0/24",
      LAB_FLOW_LOG_SILENCE_MINUTES: "30",
      LAB_INSTANCE_CONNECT: "off",
      LAB_DENY_ICMP_EGRESS: "FALSE",
      LAB_INSTANCE_EGRESS: "all",
      LAB_LOG_RETENTION_DAYS: "14",
      LAB_TRAFFIC_TYPE: "REJECT",
      LAB_AGGREGATION_INTERVAL: "600",
      LAB_FLOW_LOG_FORMAT: "extended",
      LAB_FLOW_LOG_FILE_FORMAT: "parquet",
      LAB_FLOW_LOG_HIVE_PARTITIONS: "true",
      LAB_FLOW_LOG_PER_HOUR: "yes",
      LAB_FLOW_LOG_BUCKET: "my-flow-logs.example",
      LAB_FLOW_LOG_EXPIRATION_DAYS: "30",
      LAB_QUERY_RESULT_EXPIRATION_DAYS: "7",
      LAB_STATE_BUCKET: "my-state-bucket",
      LAB_STATE_REGION: "eu-central-1",
      LAB_STATE_BACKEND_IN_BUCKET: "true",
      LAB_GITHUB_REPOSITORY: "octo-org/vpc-lab",
      LAB_GITHUB_ENVIRONMENT: "prod",
      LAB_GITHUB_REPOSITORY_ID: "123456789",
      LAB_STATE_BUCKET_FORCE_DESTROY: "true",
      LAB_GITHUB_OIDC_PROVIDER_ARN: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
      LAB_AWS_ENDPOINT: "http://127.0.0.1:4566",
    });
    expect(config).toEqual({
      region: "eu-west-1",
      availabilityZone: "eu-west-1b",
      nameSuffix: "dev2",
      vpcCidr: { address: 172 * 2 ** 24 + 16 * 2 ** 16, prefix: 16, text: "172.16.0.0/16" },
      subnetCidr: { address: 172 * 2 ** 24 + 16 * 2 ** 16 + 8 * 2 ** 8, prefix: 24, text: "172.16.8.0/24" },
      instanceType: "t4g.small",
      amiOs: "al2",
      alertEmail: "ops@example.com",
      sshCidrs: ["203.0.113.7/32", "198.51.100.0/24"],
      sshOpenToWorld: true,
      sshRdpAlarmThreshold: 25,
      portScanPorts: 50,
      skipDataPercent: 5,
      monitorVpcs: [
        { id: "vpc-0a1b2c3d4e5f67890", cidr: { address: 10 * 2 ** 24 + 2 ** 16, prefix: 16, text: "10.1.0.0/16" } },
        { id: "vpc-1234abcd", cidr: { address: 10 * 2 ** 24 + 2 * 2 ** 16, prefix: 24, text: "10.2.0.0/24" } },
      ],
      flowLogSilenceMinutes: 30,
      instanceConnect: false,
      denyIcmpEgress: false,
      instanceEgress: "all",
      logRetentionDays: 14,
      trafficType: "REJECT",
      aggregationIntervalSeconds: 600,
      flowLogFormat: "extended",
      flowLogFileFormat: "parquet",
      flowLogHivePartitions: true,
      flowLogPerHour: true,
      flowLogBucket: "my-flow-logs.example",
      flowLogExpirationDays: 30,
      queryResultExpirationDays: 7,
      stateBucket: "my-state-bucket",
      stateRegion: "eu-central-1",
      stateBackendInBucket: true,
      githubRepository: "octo-org/vpc-lab",
      githubEnvironment: "prod",
      githubRepositoryId: "123456789",
      stateBucketForceDestroy: true,
      githubOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
      awsEndpoint: "http://127.0.0.1:4566",
    });
  });

  test("the availability zone follows the region when not set", () => {
    expect(loadConfig({ LAB_REGION: "ap-southeast-2" }).config.availabilityZone).toBe("ap-southeast-2a");
  });

  test("blank values mean unset", () => {
    expect(loadConfig({ LAB_REGION: "  ", LAB_ALERT_EMAIL: "" }).config).toMatchObject({ region: "us-east-1" });
    expect(loadConfig({ LAB_ALERT_EMAIL: "" }).config.alertEmail).toBeUndefined();
  });

  test("0.0.0.0/0 in LAB_SSH_CIDRS is accepted with the explicit opt-in", () => {
    expect(loadConfig({ LAB_SSH_CIDRS: "0.0.0.0/0", LAB_SSH_OPEN_TO_WORLD: "true" }).config.sshCidrs).toEqual([
      "0.0.0.0/0",
    ]);
  });
});

describe("rejected input names the setting, the value and what is expected", () => {
  test.each([
    ["LAB_REGION", "us-east", /LAB_REGION: got "us-east", expected an AWS region code/],
    [
      "LAB_AVAILABILITY_ZONE",
      "us-west-2a",
      /LAB_AVAILABILITY_ZONE: got "us-west-2a", expected an availability zone of region us-east-1/,
    ],
    ["LAB_AVAILABILITY_ZONE", "us-east-1", /LAB_AVAILABILITY_ZONE: got "us-east-1", expected an availability zone/],
    ["LAB_NAME_SUFFIX", "Dev_1", /LAB_NAME_SUFFIX: got "Dev_1", expected 1 to 12 lowercase letters or digits/],
    ["LAB_VPC_CIDR", "10.0.0.0/33", /LAB_VPC_CIDR: got "10.0.0.0\/33", expected an IPv4 CIDR block/],
    [
      "LAB_VPC_CIDR",
      "10.0.0.1/24",
      /LAB_VPC_CIDR: got "10.0.0.1\/24", expected a network address with no host bits set \(did you mean 10.0.0.0\/24\?\)/,
    ],
    ["LAB_VPC_CIDR", "10.0.0.0/8", /LAB_VPC_CIDR: got "10.0.0.0\/8", expected a prefix length from \/16 to \/28/],
    ["LAB_VPC_CIDR", "256.0.0.0/24", /LAB_VPC_CIDR: got "256.0.0.0\/24", expected an IPv4 CIDR block/],
    [
      "LAB_SUBNET_CIDR",
      "10.0.1.0/26",
      /LAB_SUBNET_CIDR: got "10.0.1.0\/26", expected a block inside the VPC block 10.0.0.0\/24/,
    ],
    [
      "LAB_SUBNET_CIDR",
      "10.0.0.0/29",
      /LAB_SUBNET_CIDR: got "10.0.0.0\/29", expected a prefix length from \/16 to \/28/,
    ],
    ["LAB_SUBNET_CIDR", "banana", /LAB_SUBNET_CIDR: got "banana", expected an IPv4 CIDR block/],
    ["LAB_INSTANCE_TYPE", "micro", /LAB_INSTANCE_TYPE: got "micro", expected an EC2 instance type/],
    ["LAB_INSTANCE_TYPE", "t2.Micro", /LAB_INSTANCE_TYPE: got "t2.Micro", expected an EC2 instance type/],
    ["LAB_AMI_OS", "ubuntu", /LAB_AMI_OS: got "ubuntu", expected al2023 or al2/],
    ["LAB_FLOW_LOG_FORMAT", "v5", /LAB_FLOW_LOG_FORMAT: got "v5", expected default or extended/],
    ["LAB_FLOW_LOG_FILE_FORMAT", "text", /LAB_FLOW_LOG_FILE_FORMAT: got "text", expected plain-text or parquet/],
    ["LAB_FLOW_LOG_HIVE_PARTITIONS", "hive", /LAB_FLOW_LOG_HIVE_PARTITIONS: got "hive", expected a boolean/],
    ["LAB_FLOW_LOG_PER_HOUR", "hourly", /LAB_FLOW_LOG_PER_HOUR: got "hourly", expected a boolean/],
    ["LAB_ALERT_EMAIL", "ops-at-example.com", /LAB_ALERT_EMAIL: got "ops-at-example.com", expected an e-mail address/],
    ["LAB_ALERT_EMAIL", "ops@localhost", /LAB_ALERT_EMAIL: got "ops@localhost", expected an e-mail address/],
    [
      "LAB_SSH_CIDRS",
      "203.0.113.7",
      /LAB_SSH_CIDRS: got "203.0.113.7", expected a comma-separated list of IPv4 CIDR blocks; "203.0.113.7" is not/,
    ],
    [
      "LAB_SSH_CIDRS",
      "0.0.0.0/0",
      /LAB_SSH_CIDRS: got "0.0.0.0\/0", expected narrower blocks than 0.0.0.0\/0; .*LAB_SSH_OPEN_TO_WORLD=true/,
    ],
    ["LAB_SSH_OPEN_TO_WORLD", "maybe", /LAB_SSH_OPEN_TO_WORLD: got "maybe", expected a boolean/],
    ["LAB_INSTANCE_CONNECT", "2", /LAB_INSTANCE_CONNECT: got "2", expected a boolean/],
    ["LAB_DENY_ICMP_EGRESS", "tru", /LAB_DENY_ICMP_EGRESS: got "tru", expected a boolean/],
    [
      "LAB_LOG_RETENTION_DAYS",
      "10",
      /LAB_LOG_RETENTION_DAYS: got "10", expected one of CloudWatch Logs' retention periods: 0, 1, 3/,
    ],
    ["LAB_LOG_RETENTION_DAYS", "-1", /LAB_LOG_RETENTION_DAYS: got "-1", expected one of/],
    ["LAB_TRAFFIC_TYPE", "all", /LAB_TRAFFIC_TYPE: got "all", expected ALL, ACCEPT or REJECT/],
    ["LAB_AGGREGATION_INTERVAL", "300", /LAB_AGGREGATION_INTERVAL: got "300", expected 60 or 600/],
    ["LAB_FLOW_LOG_BUCKET", "My_Bucket", /LAB_FLOW_LOG_BUCKET: got "My_Bucket", expected a bucket name of 3-63/],
    ["LAB_FLOW_LOG_BUCKET", "ab", /LAB_FLOW_LOG_BUCKET: got "ab", expected a bucket name/],
    ["LAB_FLOW_LOG_BUCKET", "a..b", /without two adjacent dots/],
    ["LAB_FLOW_LOG_BUCKET", "192.168.5.4", /not formatted as an IP address/],
    ["LAB_FLOW_LOG_BUCKET", "xn--bucket", /reserved prefix xn--/],
    ["LAB_FLOW_LOG_BUCKET", "logs-s3alias", /reserved suffix -s3alias/],
    [
      "LAB_FLOW_LOG_EXPIRATION_DAYS",
      "0",
      /LAB_FLOW_LOG_EXPIRATION_DAYS: got "0", expected a whole number from 1 to 36500/,
    ],
    [
      "LAB_SSH_RDP_ALARM_THRESHOLD",
      "0",
      /LAB_SSH_RDP_ALARM_THRESHOLD: got "0", expected a whole number from 1 to 100000/,
    ],
    ["LAB_SSH_RDP_ALARM_THRESHOLD", "ten", /LAB_SSH_RDP_ALARM_THRESHOLD: got "ten", expected a whole number/],
    // One port is no scan; probes go to the 32768 ports below the ephemeral range.
    ["LAB_PORT_SCAN_PORTS", "1", /LAB_PORT_SCAN_PORTS: got "1", expected a whole number from 2 to 32768/],
    ["LAB_PORT_SCAN_PORTS", "32769", /LAB_PORT_SCAN_PORTS: got "32769", expected a whole number from 2 to 32768/],
    ["LAB_PORT_SCAN_PORTS", "2O", /LAB_PORT_SCAN_PORTS: got "2O", expected a whole number/],
    [
      "LAB_MONITOR_VPCS",
      "vpc-0a1b2c3d",
      /LAB_MONITOR_VPCS: got "vpc-0a1b2c3d", expected comma-separated vpc-id=CIDR pairs .*; "vpc-0a1b2c3d" is not vpc-<8 or 17 hex digits>=<CIDR>/,
    ],
    [
      "LAB_MONITOR_VPCS",
      "vpc-0a1b2c3=10.0.0.0/16",
      /"vpc-0a1b2c3=10.0.0.0\/16" is not vpc-<8 or 17 hex digits>=<CIDR>/,
    ],
    [
      "LAB_MONITOR_VPCS",
      "vpc-0a1b2c3d=10.0.0.1/16",
      /in "vpc-0a1b2c3d=10.0.0.1\/16", 10.0.0.1\/16 is not a network address/,
    ],
    ["LAB_MONITOR_VPCS", "vpc-0a1b2c3d=10.0.0.0/8", /in "vpc-0a1b2c3d=10.0.0.0\/8", a VPC block is \/16 to \/28/],
    ["LAB_MONITOR_VPCS", "vpc-0a1b2c3d=10.0.0.0/16,vpc-0a1b2c3d=10.1.0.0/16", /vpc-0a1b2c3d is given twice/],
    [
      "LAB_MONITOR_VPCS",
      Array.from({ length: 6 }, (_, i) => `vpc-0000000${i}=10.${i}.0.0/16`).join(","),
      /at most 5 \(got 6\)/,
    ],
    ["LAB_SKIPDATA_PERCENT", "0", /LAB_SKIPDATA_PERCENT: got "0", expected a whole number from 1 to 100/],
    ["LAB_SKIPDATA_PERCENT", "0.5", /LAB_SKIPDATA_PERCENT: got "0.5", expected a whole number from 1 to 100/],
    ["LAB_SKIPDATA_PERCENT", "101", /LAB_SKIPDATA_PERCENT: got "101", expected a whole number from 1 to 100/],
    [
      "LAB_FLOW_LOG_SILENCE_MINUTES",
      "12",
      /LAB_FLOW_LOG_SILENCE_MINUTES: got "12", expected a multiple of 5 from 10 to 1440/,
    ],
    ["LAB_FLOW_LOG_SILENCE_MINUTES", "1445", /expected a multiple of 5 from 10 to 1440/],
    ["LAB_FLOW_LOG_SILENCE_MINUTES", "5", /expected a multiple of 5 from 10 to 1440/],
    ["LAB_QUERY_RESULT_EXPIRATION_DAYS", "1.5", /LAB_QUERY_RESULT_EXPIRATION_DAYS: got "1.5", expected a whole number/],
    ["LAB_STATE_BUCKET", "-state", /LAB_STATE_BUCKET: got "-state", expected a bucket name/],
    ["LAB_STATE_REGION", "mars-1", /LAB_STATE_REGION: got "mars-1", expected an AWS region code/],
    [
      "LAB_STATE_BACKEND_IN_BUCKET",
      "true",
      /LAB_STATE_BACKEND_IN_BUCKET: got "true", expected false while LAB_STATE_BUCKET is not set/,
    ],
    ["LAB_STATE_BACKEND_IN_BUCKET", "perhaps", /LAB_STATE_BACKEND_IN_BUCKET: got "perhaps", expected a boolean/],
    [
      "LAB_GITHUB_REPOSITORY",
      "vpc-lab",
      /LAB_GITHUB_REPOSITORY: got "vpc-lab", expected a GitHub repository as owner\/name/,
    ],
    [
      "LAB_GITHUB_ENVIRONMENT",
      "prod env",
      /LAB_GITHUB_ENVIRONMENT: got "prod env", expected a GitHub environment name/,
    ],
    [
      "LAB_GITHUB_OIDC_PROVIDER_ARN",
      "arn:aws:iam::123:oidc-provider/x",
      /LAB_GITHUB_OIDC_PROVIDER_ARN: got .*expected an IAM OIDC provider ARN/,
    ],
    ["LAB_INSTANCE_EGRESS", "none", /LAB_INSTANCE_EGRESS: got "none", expected lab or all/],
    [
      "LAB_STATE_BUCKET_FORCE_DESTROY",
      "yes please",
      /LAB_STATE_BUCKET_FORCE_DESTROY: got "yes please", expected a boolean/,
    ],
    [
      "LAB_GITHUB_REPOSITORY_ID",
      "octo/lab",
      /LAB_GITHUB_REPOSITORY_ID: got "octo\/lab", expected a GitHub repository id \(digits\)/,
    ],
    ["LAB_AWS_ENDPOINT", "localhost:4566", /LAB_AWS_ENDPOINT: got "localhost:4566", expected an http\(s\) URL/],
    ["LAB_AWS_ENDPOINT", "ftp://127.0.0.1", /LAB_AWS_ENDPOINT: got "ftp:\/\/127.0.0.1", expected an http\(s\) URL/],
  ])("%s=%s", (env, value, message) => {
    const problems = problemsOf({ [env]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test("a suffix that makes the default flow-log bucket name too long is refused, naming the length", () => {
    const problems = problemsOf({ LAB_REGION: "ap-southeast-3", LAB_NAME_SUFFIX: "abcdefghijkl" });
    expect(problems).toEqual([
      expect.stringMatching(
        /^LAB_NAME_SUFFIX: got "abcdefghijkl", expected a shorter suffix: in ap-southeast-3 the flow-log bucket's name would be 64 characters \(S3 allows 63\); or set LAB_FLOW_LOG_BUCKET$/,
      ),
    ]);
  });

  test("with LAB_MONITOR_VPCS, a suffix that makes the monitor's bucket name too long is refused too", () => {
    const env = { LAB_NAME_SUFFIX: "abcdefgh", LAB_MONITOR_VPCS: "vpc-0a1b2c3d=10.0.0.0/16" };
    expect(loadConfig(env).config.monitorVpcs).toHaveLength(1);
    expect(problemsOf({ ...env, LAB_REGION: "ap-southeast-3" })).toEqual([
      expect.stringMatching(
        /^LAB_MONITOR_VPCS: got "vpc-0a1b2c3d=10.0.0.0\/16", expected a shorter LAB_NAME_SUFFIX with it: in ap-southeast-3 the monitor stack's flow-log bucket name would be 64 characters \(S3 allows 63\)$/,
      ),
    ]);
  });

  test("the same suffix is fine in a region with a shorter name, or with an exact bucket name", () => {
    expect(loadConfig({ LAB_NAME_SUFFIX: "abcdefghijkl" }).config.nameSuffix).toBe("abcdefghijkl");
    expect(
      loadConfig({ LAB_REGION: "ap-southeast-3", LAB_NAME_SUFFIX: "abcdefghijkl", LAB_FLOW_LOG_BUCKET: "my-logs" })
        .config.flowLogBucket,
    ).toBe("my-logs");
  });

  describe("the state bucket is never a flow-log bucket (destroy would empty and delete it)", () => {
    const refused = (of: string) => new RegExp(`expected a bucket of its own: it would also be ${of}, which`);
    test.each([
      [
        "the lab's exact name",
        { LAB_STATE_BUCKET: "shared", LAB_FLOW_LOG_BUCKET: "shared" },
        "the lab's flow-log bucket",
      ],
      [
        "the lab's default name, any account",
        { LAB_STATE_BUCKET: "lab-vpc-flow-log-bucket-210987654321-us-east-1" },
        "the lab's flow-log bucket",
      ],
      [
        "the lab's default name with the suffix",
        {
          LAB_STATE_BUCKET: "lab-vpc-flow-log-bucket-210987654321-eu-west-1-dev",
          LAB_REGION: "eu-west-1",
          LAB_NAME_SUFFIX: "dev",
        },
        "the lab's flow-log bucket",
      ],
      [
        "the monitor stack's default name",
        {
          LAB_STATE_BUCKET: "lab-vpc-flow-log-bucket-210987654321-us-east-1-mon",
          LAB_MONITOR_VPCS: "vpc-0a1b2c3d=10.1.0.0/16",
        },
        "the monitor stack's flow-log bucket",
      ],
    ])("%s is refused", (_, env, of) => {
      const problems = problemsOf(env);
      expect(problems).toEqual([expect.stringMatching(/^LAB_STATE_BUCKET: got "/)]);
      expect(problems[0]).toMatch(refused(of));
    });

    test.each([
      ["another exact name", { LAB_STATE_BUCKET: "shared", LAB_FLOW_LOG_BUCKET: "logs" }],
      [
        "the default name of another suffix",
        { LAB_STATE_BUCKET: "lab-vpc-flow-log-bucket-210987654321-us-east-1-dev" },
      ],
      ["the default name of another region", { LAB_STATE_BUCKET: "lab-vpc-flow-log-bucket-210987654321-eu-west-1" }],
      ["not 12 digits", { LAB_STATE_BUCKET: "lab-vpc-flow-log-bucket-2109876543-us-east-1" }],
      [
        "the monitor's name without a monitor stack",
        { LAB_STATE_BUCKET: "lab-vpc-flow-log-bucket-210987654321-us-east-1-mon" },
      ],
    ])("%s is fine", (_, env) => {
      expect(loadConfig(env).config.stateBucket).toBe(env.LAB_STATE_BUCKET);
    });
  });

  test("all problems are reported at once", () => {
    const problems = problemsOf({
      LAB_REGION: "nowhere",
      LAB_VPC_CIDR: "10.0.0.0/40",
      LAB_INSTANCE_TYPE: "big",
      LAB_ALERT_EMAIL: "nobody",
      LAB_DENY_ICMP_EGRESS: "sure",
    });
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "LAB_ALERT_EMAIL",
      "LAB_DENY_ICMP_EGRESS",
      "LAB_INSTANCE_TYPE",
      "LAB_REGION",
      "LAB_VPC_CIDR",
    ]);
  });

  test("the error message lists every problem", () => {
    expect(() => loadConfig({ LAB_REGION: "x", LAB_AMI_OS: "y" })).toThrow(
      /Invalid lab configuration \(2 problems\):\n  - LAB_REGION.*\n  - LAB_AMI_OS/,
    );
  });
});

describe("warnings", () => {
  test("the default configuration warns about the missing e-mail and local state", () => {
    const { warnings } = loadConfig({});
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/LAB_ALERT_EMAIL is not set/);
    expect(warnings[1]).toMatch(/LAB_STATE_BUCKET is not set/);
  });

  test("a complete configuration has no warnings", () => {
    expect(loadConfig({ LAB_ALERT_EMAIL: "a@example.com", LAB_STATE_BUCKET: "my-state" }).warnings).toEqual([]);
  });

  test.each([
    [{ LAB_SSH_OPEN_TO_WORLD: "true" }, /SSH \(port 22\) is open to 0.0.0.0\/0/],
    [{ LAB_INSTANCE_CONNECT: "false" }, /no one can reach the instance/],
    [{ LAB_AMI_OS: "al2" }, /Amazon Linux 2 reached end of support/],
    [
      { LAB_TRAFFIC_TYPE: "ACCEPT" },
      /^LAB_TRAFFIC_TYPE=ACCEPT: .* the alarms on it \(ping-deny, ssh-rdp-rejected, port-scan\) can never go off/,
    ],
    [
      { LAB_TRAFFIC_TYPE: "REJECT", LAB_FLOW_LOG_SILENCE_MINUTES: "30" },
      /^LAB_TRAFFIC_TYPE=REJECT: .* the flow-log-silence alarm goes off whenever nothing is rejected for 30 minutes/,
    ],
  ])("%p warns", (env, message) => {
    const { warnings } = loadConfig({ LAB_ALERT_EMAIL: "a@example.com", LAB_STATE_BUCKET: "my-state", ...env });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(message);
  });
});

test("every setting has a LAB_ variable and a description", () => {
  for (const spec of Object.values(SETTINGS)) {
    expect(spec.env).toMatch(/^LAB_[A-Z_]+$/);
    expect(spec.description.length).toBeGreaterThan(10);
  }
});
