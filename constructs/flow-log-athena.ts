import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { BASE_NAMES } from "../config/names";
import { FLOW_LOG_FIELDS, PARTITION_COLUMNS } from "../monitoring/flow-log-fields";
import { NAMED_QUERIES, renderQuery, type NamedQueryDefinition } from "../monitoring/named-queries";
import { AwsContext } from "./aws-context";
import type { FlowLogBucket } from "./flow-log-bucket";

/** First and last year that partition projection enumerates when a query does not filter by year. */
export const PROJECTION_YEARS = { first: 2024, last: 2099 } as const;

export interface FlowLogAthenaProps {
  /** The bucket the S3 flow log delivers to; query results go to its AthenaQueryResults/ folder. */
  readonly bucket: FlowLogBucket;
  /** @default "lab" */
  readonly databaseName?: string;
  /** @default "vpc_flow_log" */
  readonly tableName?: string;
  /** @default "lab-vpc-flow-logs" */
  readonly workgroupName?: string;
  /** Largest scan a single query may make, in bytes (guards the bill). @default 10 GiB */
  readonly bytesScannedCutoffPerQuery?: number;
  /**
   * Values for the queries' parameters (e.g. `source`: the instance's private IP). A named query
   * whose parameters are not all given here is not deployed. @default {}
   */
  readonly queryParams?: Readonly<Record<string, string>>;
  /** @default NAMED_QUERIES */
  readonly queries?: readonly NamedQueryDefinition[];
}

/**
 * Athena over the S3 flow logs: a workgroup that enforces an encrypted result location in the bucket,
 * the Glue database and table (the walkthrough's columns, partitioned by year/month/day with partition
 * projection, so no ALTER TABLE ADD PARTITION or MSCK REPAIR is ever needed) and the named queries.
 */
export class FlowLogAthena extends Construct {
  readonly workgroup: AthenaWorkgroup;
  readonly database: GlueCatalogDatabase;
  readonly table: GlueCatalogTable;
  readonly namedQueries: Record<string, AthenaNamedQuery> = {};

  constructor(scope: Construct, id: string, props: FlowLogAthenaProps) {
    super(scope, id);
    const aws = AwsContext.of(this);
    const bucketName = props.bucket.bucket.bucket;
    const tableName = props.tableName ?? BASE_NAMES.glueTable;

    this.workgroup = new AthenaWorkgroup(this, "workgroup", {
      name: props.workgroupName ?? BASE_NAMES.athenaWorkgroup,
      description: "Queries over the lab's VPC flow logs",
      state: "ENABLED",
      // Named queries live in the workgroup; without this, destroy fails on a non-empty workgroup.
      forceDestroy: true,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? 10 * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${bucketName}/${props.bucket.queryResultsPrefix}`,
          encryptionConfiguration: { encryptionOption: "SSE_S3" },
        },
      },
    });

    this.database = new GlueCatalogDatabase(this, "database", {
      name: props.databaseName ?? BASE_NAMES.glueDatabase,
      description: "VPC flow logs of the network-monitoring lab",
    });

    const logsRoot = `s3://${bucketName}/AWSLogs/${aws.accountId}/vpcflowlogs/${aws.region}/`;
    // `${year}` etc. are Athena's placeholders, not Terraform's: rawString escapes them as $${year}.
    const template = logsRoot + Fn.rawString(PARTITION_COLUMNS.map((c) => "${" + c + "}").join("/"));

    this.table = new GlueCatalogTable(this, "table", {
      name: tableName,
      databaseName: this.database.name,
      description: "VPC flow logs delivered to S3 (default format, plain text)",
      tableType: "EXTERNAL_TABLE",
      parameters: {
        EXTERNAL: "TRUE",
        "skip.header.line.count": "1",
        "projection.enabled": "true",
        "projection.year.type": "integer",
        "projection.year.range": `${PROJECTION_YEARS.first},${PROJECTION_YEARS.last}`,
        "projection.month.type": "integer",
        "projection.month.range": "1,12",
        "projection.month.digits": "2",
        "projection.day.type": "integer",
        "projection.day.range": "1,31",
        "projection.day.digits": "2",
        "storage.location.template": template,
      },
      partitionKeys: PARTITION_COLUMNS.map((name) => ({ name, type: "string" })),
      storageDescriptor: {
        location: logsRoot,
        inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
        outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        serDeInfo: {
          serializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
          parameters: { "field.delim": " ", "serialization.format": " " },
        },
        columns: FLOW_LOG_FIELDS.map((f) => ({ name: f.column, type: f.type, comment: `flow-log field ${f.field}` })),
      },
    });

    const params = props.queryParams ?? {};
    const qualifiedTable = `${this.database.name}.${tableName}`;
    for (const query of props.queries ?? NAMED_QUERIES) {
      if (!query.params.every((p) => params[p.name] !== undefined)) continue;
      const queryParams = Object.fromEntries(query.params.map((p) => [p.name, params[p.name]]));
      this.namedQueries[query.id] = new AthenaNamedQuery(this, `query-${query.id}`, {
        name: query.name,
        description: query.description,
        workgroup: this.workgroup.name,
        database: this.database.name,
        query: renderQuery(query, {
          table: qualifiedTable,
          params: queryParams,
          isDeferred: (v) => Token.isUnresolved(v),
        }),
      });
    }
  }
}
