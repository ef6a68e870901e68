import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { BASE_NAMES } from "../config/names";
import { columnType, flowLogFields } from "../monitoring/flow-log-fields";
import { logsPrefix, partitionColumns, partitionPath } from "../monitoring/flow-log-storage";
import { NAMED_QUERIES, queriesForColumns, renderQuery, type NamedQueryDefinition } from "../monitoring/named-queries";
import { AwsContext } from "./aws-context";
import type { FlowLogBucket } from "./flow-log-bucket";

/** First and last year that partition projection enumerates when a query does not filter by year. */
export const PROJECTION_YEARS = { first: 2024, last: 2099 } as const;

export interface FlowLogAthenaProps {
  /**
   * The bucket the S3 flow log delivers to: the table follows its `format` and `storage`; query results
   * go to its AthenaQueryResults/ folder.
   */
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
  /** @default NAMED_QUERIES (those whose columns the table has) */
  readonly queries?: readonly NamedQueryDefinition[];
}

/** The Glue table's storage descriptor for each file format, and its table parameters. */
const FILE_FORMAT = {
  "plain-text": {
    inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
    outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    serializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
    // `-` (no value) reads as NULL, as in `flowlogs query`.
    serdeParameters: { "field.delim": " ", "serialization.format": " ", "serialization.null.format": "-" },
    tableParameters: { "skip.header.line.count": "1" },
  },
  parquet: {
    inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    // AWS names the Parquet columns after the fields (account_id, start); the table keeps the
    // walkthrough's names (account, starttime), so columns are matched by position, which the
    // log_format fixes.
    serdeParameters: { "serialization.format": "1", "parquet.column.index.access": "true" },
    tableParameters: { classification: "parquet" },
  },
} as const;

/**
 * Athena over the S3 flow logs: a workgroup that enforces an encrypted result location in the bucket,
 * the Glue database and table (the walkthrough's columns and the format's others, text or Parquet,
 * partitioned by year/month/day (and hour) with partition projection on the storage's prefixes, so no
 * ALTER TABLE ADD PARTITION or MSCK REPAIR is ever needed) and the named queries the columns allow.
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

    const { format, storage } = props.bucket;
    const fields = flowLogFields(format);
    const fileFormat = FILE_FORMAT[storage.fileFormat];
    const partitions = partitionColumns(storage);
    const logsRoot = `s3://${bucketName}/${logsPrefix(storage, aws.accountId, aws.region)}/`;
    // `${year}` etc. are Athena's placeholders, not Terraform's: rawString escapes them as $${year}.
    const template = logsRoot + Fn.rawString(partitionPath(storage, (c) => "${" + c + "}"));
    const projection = (column: string, range: string, digits?: number) => ({
      [`projection.${column}.type`]: "integer",
      [`projection.${column}.range`]: range,
      ...(digits ? { [`projection.${column}.digits`]: String(digits) } : {}),
    });

    this.table = new GlueCatalogTable(this, "table", {
      name: tableName,
      databaseName: this.database.name,
      description: `VPC flow logs delivered to S3 (${format} format, ${storage.fileFormat})`,
      tableType: "EXTERNAL_TABLE",
      parameters: {
        EXTERNAL: "TRUE",
        ...fileFormat.tableParameters,
        "projection.enabled": "true",
        ...projection("year", `${PROJECTION_YEARS.first},${PROJECTION_YEARS.last}`),
        ...projection("month", "1,12", 2),
        ...projection("day", "1,31", 2),
        ...(storage.perHourPartition ? projection("hour", "0,23", 2) : {}),
        "storage.location.template": template,
      },
      partitionKeys: partitions.map((name) => ({ name, type: "string" })),
      storageDescriptor: {
        location: logsRoot,
        inputFormat: fileFormat.inputFormat,
        outputFormat: fileFormat.outputFormat,
        serDeInfo: {
          serializationLibrary: fileFormat.serializationLibrary,
          parameters: { ...fileFormat.serdeParameters },
        },
        columns: fields.map((f) => ({
          name: f.column,
          type: columnType(f, storage.fileFormat),
          comment: `flow-log field ${f.field}`,
        })),
      },
    });

    const params = props.queryParams ?? {};
    const qualifiedTable = `${this.database.name}.${tableName}`;
    const columns = [...fields.map((f) => f.column), ...partitions];
    for (const query of queriesForColumns(columns, props.queries ?? NAMED_QUERIES)) {
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
