import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { FlowLogAthena } from "../../constructs/flow-log-athena";
import { FlowLogBucket } from "../../constructs/flow-log-bucket";
import { KNOWN_FIELDS } from "../../monitoring/flow-log-fields";
import { NAMED_QUERIES } from "../../monitoring/named-queries";
import { dataRef, only, parse, ref, resources, synthConstruct } from "../helpers";

interface GlueTableJson {
  name: string;
  database_name: string;
  table_type: string;
  parameters: Record<string, string>;
  partition_keys: { name: string; type: string }[];
  storage_descriptor: {
    columns: { name: string; type: string }[];
    input_format: string;
    location: string;
    ser_de_info: unknown;
  };
}

describe("FlowLogAthena", () => {
  const json = synthConstruct((scope) => {
    const bucket = new FlowLogBucket(scope, "bucket");
    new FlowLogAthena(scope, "athena", { bucket, queryParams: { source: "10.0.0.49", destination: "10.0.0.49" } });
  });
  const tf = parse(json);
  const bucketName = ref(tf, "aws_s3_bucket", "bucket");
  const account = dataRef(tf, "aws_caller_identity", "account_id");
  const region = dataRef(tf, "aws_region", "region");
  const table = only(tf, "aws_glue_catalog_table").body as unknown as GlueTableJson;
  const database = ref(tf, "aws_glue_catalog_database", "name");

  test("workgroup enforces encrypted results under AthenaQueryResults/ in the bucket", () => {
    expect(json).toHaveResourceWithProperties(AthenaWorkgroup, {
      name: "lab-vpc-flow-logs",
      force_destroy: true,
      configuration: {
        enforce_workgroup_configuration: true,
        publish_cloudwatch_metrics_enabled: true,
        bytes_scanned_cutoff_per_query: 10737418240,
        result_configuration: {
          output_location: `s3://${bucketName}/AthenaQueryResults/`,
          encryption_configuration: { encryption_option: "SSE_S3" },
        },
      },
    });
  });

  test("Glue database lab", () => {
    expect(json).toHaveResourceWithProperties(GlueCatalogDatabase, { name: "lab" });
  });

  test("table vpc_flow_log with the walkthrough's columns, in the database", () => {
    expect(table.name).toBe("vpc_flow_log");
    expect(table.database_name).toBe(database);
    expect(table.table_type).toBe("EXTERNAL_TABLE");
    expect(table.storage_descriptor.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      "version int",
      "account string",
      "eni string",
      "source string",
      "destination string",
      "srcport int",
      "destport int",
      "protocol int",
      "packets int",
      "bytes bigint",
      "starttime int",
      "endtime int",
      "action string",
      "flowlogstatus string",
    ]);
  });

  test("space-delimited text with the header line skipped, over the flow logs' S3 prefix", () => {
    expect(table.parameters["skip.header.line.count"]).toBe("1");
    expect(table.storage_descriptor.ser_de_info).toEqual({
      serialization_library: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
      // `-` (no value) is NULL, as `flowlogs query` reads it: the same SQL, the same answers.
      parameters: { "field.delim": " ", "serialization.format": " ", "serialization.null.format": "-" },
    });
    expect(table.storage_descriptor.input_format).toBe("org.apache.hadoop.mapred.TextInputFormat");
    expect(table.storage_descriptor.location).toBe(`s3://${bucketName}/AWSLogs/${account}/vpcflowlogs/${region}/`);
  });

  test("partitioned by year/month/day with partition projection instead of ALTER TABLE / MSCK", () => {
    expect(table.partition_keys).toEqual([
      { name: "year", type: "string" },
      { name: "month", type: "string" },
      { name: "day", type: "string" },
    ]);
    expect(table.parameters).toMatchObject({
      "projection.enabled": "true",
      "projection.year.type": "integer",
      "projection.year.range": "2024,2099",
      "projection.month.type": "integer",
      "projection.month.range": "1,12",
      "projection.month.digits": "2",
      "projection.day.type": "integer",
      "projection.day.range": "1,31",
      "projection.day.digits": "2",
    });
  });

  test("the location template's ${...} placeholders are escaped for Terraform, the references are not", () => {
    expect(table.parameters["storage.location.template"]).toBe(
      `s3://${bucketName}/AWSLogs/${account}/vpcflowlogs/${region}/$\${year}/$\${month}/$\${day}`,
    );
  });

  test("every named query the default format's columns allow is deployed in the workgroup and database", () => {
    const queries = Object.values(resources(tf, "aws_athena_named_query"));
    expect(queries.map((q) => q.name).sort()).toEqual(
      NAMED_QUERIES.filter((q) => !q.columns)
        .map((q) => q.name)
        .sort(),
    );
    expect(queries.map((q) => q.name)).not.toContain("TopTalkingInstances");
    for (const q of queries) {
      expect(q.workgroup).toBe(ref(tf, "aws_athena_workgroup", "name"));
      expect(q.database).toBe(database);
      expect(q.query).toContain(`FROM ${database}.vpc_flow_log`);
      expect(q.query).not.toMatch(/\{\{/);
    }
  });

  test("the walkthrough's two queries", () => {
    const byName = Object.fromEntries(
      Object.values(resources(tf, "aws_athena_named_query")).map((q) => [q.name, q.query]),
    );
    expect(byName.IcmpFromSource).toMatch(/WHERE source = '10\.0\.0\.49' AND protocol = 1\nORDER BY starttime$/);
    expect(byName.RejectedTraffic).toMatch(/WHERE action = 'REJECT'\nORDER BY starttime$/);
  });
});

test("queries whose parameters are not given are not deployed; names can be overridden", () => {
  const tf = parse(
    synthConstruct((scope) => {
      const bucket = new FlowLogBucket(scope, "bucket");
      new FlowLogAthena(scope, "athena", {
        bucket,
        databaseName: "db",
        tableName: "t",
        workgroupName: "w",
        bytesScannedCutoffPerQuery: 1e8,
      });
    }),
  );
  const names = Object.values(resources(tf, "aws_athena_named_query")).map((q) => q.name);
  expect(names).toContain("RejectedTraffic");
  expect(names).not.toContain("IcmpFromSource");
  expect(names).toHaveLength(NAMED_QUERIES.filter((q) => q.params.length === 0 && !q.columns).length);
  expect(only(tf, "aws_glue_catalog_database").body.name).toBe("db");
  expect(only(tf, "aws_glue_catalog_table").body.name).toBe("t");
  expect(only(tf, "aws_athena_workgroup").body).toMatchObject({
    name: "w",
    configuration: { bytes_scanned_cutoff_per_query: 1e8 },
  });
});

test("a malformed query parameter is rejected at synth", () => {
  expect(() =>
    synthConstruct((scope) => {
      const bucket = new FlowLogBucket(scope, "bucket");
      new FlowLogAthena(scope, "athena", {
        bucket,
        queryParams: { source: "1.2.3.4' OR '1'='1", destination: "10.0.0.1" },
      });
    }),
  ).toThrow(/parameter source: got .*expected an IPv4 or IPv6 address/);
});

describe("the extended format as Parquet under Hive-compatible per-hour prefixes", () => {
  const json = synthConstruct((scope) => {
    const bucket = new FlowLogBucket(scope, "bucket", {
      format: "extended",
      storage: { fileFormat: "parquet", hiveCompatiblePartitions: true, perHourPartition: true },
    });
    new FlowLogAthena(scope, "athena", { bucket });
  });
  const tf = parse(json);
  const bucketName = ref(tf, "aws_s3_bucket", "bucket");
  const account = dataRef(tf, "aws_caller_identity", "account_id");
  const region = dataRef(tf, "aws_region", "region");
  const table = only(tf, "aws_glue_catalog_table").body as unknown as GlueTableJson & { description: string };

  test("the walkthrough's columns, then the extended format's, typed as AWS's Parquet files type them", () => {
    const columns = table.storage_descriptor.columns.map((c) => `${c.name} ${c.type}`);
    expect(columns).toHaveLength(KNOWN_FIELDS.length);
    expect(columns.slice(0, 14)).toEqual([
      "version int",
      "account string",
      "eni string",
      "source string",
      "destination string",
      "srcport int",
      "destport int",
      "protocol int",
      // INT_64 in the Parquet files: an `int` column would not read them.
      "packets bigint",
      "bytes bigint",
      "starttime bigint",
      "endtime bigint",
      "action string",
      "flowlogstatus string",
    ]);
    expect(columns.slice(14)).toEqual([
      "vpc_id string",
      "subnet_id string",
      "instance_id string",
      "tcp_flags int",
      "type string",
      "pkt_srcaddr string",
      "pkt_dstaddr string",
      "region string",
      "az_id string",
      "sublocation_type string",
      "sublocation_id string",
      "pkt_src_aws_service string",
      "pkt_dst_aws_service string",
      "flow_direction string",
      "traffic_path int",
    ]);
    expect(table.description).toBe("VPC flow logs delivered to S3 (extended format, parquet)");
  });

  test("Parquet SerDe, columns matched by position (AWS names them account_id, start: the table keeps the walkthrough's)", () => {
    expect(table.storage_descriptor.ser_de_info).toEqual({
      serialization_library: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
      parameters: { "serialization.format": "1", "parquet.column.index.access": "true" },
    });
    expect(table.storage_descriptor.input_format).toBe("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
    expect(table.parameters["skip.header.line.count"]).toBeUndefined();
    expect(table.parameters.classification).toBe("parquet");
  });

  test("the Hive-compatible prefixes, with an hour partition projected 00 to 23", () => {
    const root = `s3://${bucketName}/AWSLogs/aws-account-id=${account}/aws-service=vpcflowlogs/aws-region=${region}/`;
    expect(table.storage_descriptor.location).toBe(root);
    expect(table.parameters["storage.location.template"]).toBe(
      `${root}year=$\${year}/month=$\${month}/day=$\${day}/hour=$\${hour}`,
    );
    expect(table.partition_keys.map((k) => k.name)).toEqual(["year", "month", "day", "hour"]);
    expect(table.parameters).toMatchObject({
      "projection.hour.type": "integer",
      "projection.hour.range": "0,23",
      "projection.hour.digits": "2",
    });
  });

  test("the extended format's queries are deployed too", () => {
    const names = Object.values(resources(tf, "aws_athena_named_query")).map((q) => q.name);
    for (const name of [
      "TopTalkersPacketLevel",
      "TopTalkingInstances",
      "TopTalkingSubnets",
      "RejectedTrafficByDirection",
    ])
      expect(names).toContain(name);
    expect(names).toHaveLength(NAMED_QUERIES.filter((q) => q.params.length === 0).length);
  });
});

test("per-hour without Hive: .../yyyy/MM/dd/HH", () => {
  const tf = parse(
    synthConstruct((scope) => {
      const bucket = new FlowLogBucket(scope, "bucket", {
        storage: { fileFormat: "plain-text", hiveCompatiblePartitions: false, perHourPartition: true },
      });
      new FlowLogAthena(scope, "athena", { bucket });
    }),
  );
  const table = only(tf, "aws_glue_catalog_table").body as unknown as GlueTableJson;
  expect(table.parameters["storage.location.template"]).toMatch(
    /\/\$\$\{year\}\/\$\$\{month\}\/\$\$\{day\}\/\$\$\{hour\}$/,
  );
  expect(table.storage_descriptor.columns).toHaveLength(14);
  expect(table.parameters["skip.header.line.count"]).toBe("1");
});
