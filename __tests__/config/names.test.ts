/**
 * The naming catalogue (config/names.ts) is the only source of physical names: every name the stacks
 * synthesize is one of the catalogue's, and every catalogue name is used. A resource named anywhere else
 * fails here.
 */
import { labNames, MAX_BUCKET_NAME, monitorNames, stateKey } from "../../config/names";
import { INCOMING_LOG_EVENTS } from "../../monitoring/flow-log-silence";
import { configFrom, synthLab, synthMonitor, synthStateBackend, type TfJson } from "../helpers";

const ACCOUNT = "123456789012";

/** Names that are not the deployment's physical names, with the reason. */
const NOT_CATALOGUE: Record<string, string> = {
  "aws_iam_role_policy.name": "an inline policy's name lives inside its role",
  "aws_athena_named_query.name":
    "query names are the console's, defined with the queries in monitoring/named-queries.ts",
};

/** Every physical name a synthesized stack gives, with where it is. */
function namesIn(tf: TfJson, region: string): { where: string; name: string }[] {
  const resolve = (value: string) =>
    value
      .replace(/\$\{data\.aws_caller_identity\.[^.]+\.account_id\}/g, ACCOUNT)
      .replace(/\$\{data\.aws_region\.[^.]+\.region\}/g, region);
  const found: { where: string; name: string }[] = [];
  for (const [type, byId] of Object.entries(tf.resource)) {
    for (const body of Object.values(byId)) {
      const candidates: [string, unknown][] = [
        ["name", body.name],
        ["bucket", body.bucket],
        ["bucket_prefix", body.bucket_prefix],
        ["alarm_name", body.alarm_name],
        ["rule_name", body.rule_name],
        ["dashboard_name", body.dashboard_name],
        ["namespace", body.namespace],
        ["tags.Name", (body.tags as Record<string, unknown> | undefined)?.Name],
        [
          "metric_transformation.namespace",
          (body.metric_transformation as { namespace?: unknown } | undefined)?.namespace,
        ],
      ];
      for (const [attribute, value] of candidates) {
        const where = `${type}.${attribute}`;
        if (typeof value !== "string" || NOT_CATALOGUE[where]) continue;
        // AWS's own metric namespace (the flow-log-silence alarm watches AWS/Logs IncomingLogEvents).
        if (where === "aws_cloudwatch_metric_alarm.namespace" && value === INCOMING_LOG_EVENTS.namespace) continue;
        // References to another resource's attribute are that resource's name, checked there.
        if (/^\$\{aws_[a-z0-9_]+\.[^}]+\}$/.test(value)) continue;
        // A saved query's name is <folder>/<query>: the folder is the catalogue's, the query's name is
        // defined with the query (monitoring/insights-queries.ts).
        if (where === "aws_cloudwatch_query_definition.name") {
          found.push({ where: `${where} (folder)`, name: value.split("/")[0] });
          continue;
        }
        found.push({ where, name: resolve(value) });
      }
    }
  }
  return found;
}

const CONFIGURATIONS: Record<string, string>[] = [
  { LAB_GITHUB_REPOSITORY: "octo/lab", LAB_STATE_BUCKET: "acme-state" },
  {
    LAB_GITHUB_REPOSITORY: "octo/lab",
    LAB_NAME_SUFFIX: "blue",
    LAB_REGION: "eu-west-1",
    LAB_FLOW_LOG_BUCKET: "acme-logs",
  },
];

describe.each(CONFIGURATIONS)("with %p", (env) => {
  const config = configFrom(env);
  const names = labNames(config, { region: config.region, accountId: ACCOUNT });
  const catalogue = new Set([...Object.values(names), ...(config.stateBucket ? [config.stateBucket] : [])]);
  const synthesized = [
    ...namesIn(synthLab(env).tf, config.region),
    ...namesIn(synthStateBackend(env).tf, config.stateRegion),
  ];

  test("every synthesized name is the catalogue's", () => {
    const strays = synthesized.filter((n) => !catalogue.has(n.name)).map((n) => `${n.where} = ${n.name}`);
    expect(strays).toEqual([]);
  });

  test("every catalogue name is used", () => {
    const used = new Set(synthesized.map((n) => n.name));
    // With LAB_STATE_BUCKET the state bucket has that exact name, and no generated one.
    const unused = Object.entries(names).filter(
      ([key, name]) => !used.has(name) && !(key === "stateBucketPrefix" && config.stateBucket),
    );
    expect(unused).toEqual([]);
  });
});

describe.each<Record<string, string>>([{}, { LAB_NAME_SUFFIX: "blue" }])("the monitor stack, with %p", (extra) => {
  const env = { ...extra, LAB_MONITOR_VPCS: "vpc-0a1b2c3d4e5f67890=10.1.0.0/16,vpc-1234abcd=10.2.0.0/16" };
  const config = configFrom(env);
  const names = monitorNames(config, { region: config.region, accountId: ACCOUNT });
  const own = config.monitorVpcs.map((v) => names.ofVpc(v.id));
  const catalogue = new Set([...Object.values(names.shared), ...own.flatMap((n) => Object.values(n))]);
  const synthesized = namesIn(synthMonitor(env).tf, config.region);

  test("every synthesized name is the catalogue's", () => {
    expect(synthesized.filter((n) => !catalogue.has(n.name)).map((n) => `${n.where} = ${n.name}`)).toEqual([]);
  });

  test("no name of the lab's: the two stacks can live in one account", () => {
    const lab = new Set(Object.values(labNames(config, { region: config.region, accountId: ACCOUNT })));
    expect(synthesized.filter((n) => lab.has(n.name) && n.where !== "aws_glue_catalog_table.name")).toEqual([]);
  });
});

test("the suffix joins with a hyphen, the Glue database with an underscore (Athena names)", () => {
  const names = labNames({ nameSuffix: "dev" }, { region: "us-east-1", accountId: ACCOUNT });
  expect(names.vpc).toBe("Lab-VPC-Flow-Logs-dev");
  expect(names.glueDatabase).toBe("lab_dev");
  expect(names.glueTable).toBe("vpc_flow_log");
  expect(names.flowLogBucket).toBe(`lab-vpc-flow-log-bucket-${ACCOUNT}-us-east-1-dev`);
  expect(stateKey("lab", "dev")).toBe("vpc-flow-logs-lab/dev/lab.tfstate");
  expect(stateKey("lab", "")).toBe("vpc-flow-logs-lab/default/lab.tfstate");
});

test("the default flow-log bucket name fits S3's limit in us-east-1 with the longest suffix", () => {
  expect(
    labNames({ nameSuffix: "a".repeat(12) }, { region: "us-east-1", accountId: ACCOUNT }).flowLogBucket.length,
  ).toBeLessThanOrEqual(MAX_BUCKET_NAME);
});
