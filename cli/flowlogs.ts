#!/usr/bin/env node
import { Command, CommanderError, Option } from "commander";
import { constants } from "node:os";
import { NAMED_QUERIES, QueryError } from "../monitoring/named-queries";
import { DETECTION_IDS } from "../monitoring/detections";
import { FLOW_LOG_FORMATS } from "../monitoring/flow-log-fields";
import { SCENARIOS } from "../engine/generate/scenarios";
import { processIo, type CommandIo } from "../engine/commands/io";
import { EngineError } from "../engine/engine-error";
import { PatternSyntaxError, UnsupportedPatternError } from "../engine/filter-pattern";

/** Exit codes: 0 ok, 1 unexpected failure, 2 bad input (usage, pattern, path, query, parameter). */
const EXIT_BAD_INPUT = 2;

const collect = (value: string, previous: string[] = []) => [...previous, value];

const VPC_CIDR_HELP =
  "the VPC's IPv4 block instead of LAB_VPC_CIDR: for a VPC the monitor stack watches (as in LAB_MONITOR_VPCS)";
function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new EngineError(`--param: got ${JSON.stringify(value)}, expected key=value`);
  const key = value.slice(0, eq);
  // Two values for one parameter: which one the user meant is a guess, so neither is taken.
  if (Object.hasOwn(previous, key))
    throw new EngineError(
      `--param: got ${key} twice (${JSON.stringify(previous[key])} and ${JSON.stringify(value.slice(eq + 1))}), expected it once`,
    );
  return { ...previous, [key]: value.slice(eq + 1) };
}

/** The commands, writing to `io` (the process's stdout and stderr, or a test's). */
function buildProgram(io: CommandIo): Command {
  const program = new Command("flowlogs")
    .description("Offline VPC flow-log monitoring: the lab's metric filter, alarm and Athena queries on local files")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();

  program
    .command("test-pattern")
    .description("CloudWatch Logs 'Test pattern' offline: prints a TestMetricFilter response (JSON)")
    .requiredOption("--pattern <pattern>", "filter pattern")
    .option("--events <file>", "log events, one per line ('-' = stdin)", "-")
    .action(async (o) => {
      // Each command loads its own modules (DuckDB's native binding among them): a quicker start.
      const { testPatternCommand } = await import("../engine/commands/test-pattern-command");
      testPatternCommand({ pattern: o.pattern, events: o.events }, io);
    });

  program
    .command("query")
    .description("run a named Athena query (or --sql) on DuckDB over flow-log files")
    .argument("[name]", `named query: ${NAMED_QUERIES.map((q) => q.id).join(", ")}`)
    .option("--logs <path...>", "files, folders (recursive) or globs: gzip/plain text with header, or Parquet", collect)
    .option("--param <key=value>", "query parameter (repeatable)", collectParam)
    .option("--sql <sql>", "ad-hoc SQL over the relation vpc_flow_log")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv"]).default("table"))
    .option("--list", "list the named queries and exit")
    .option("--allow-file-access", "let --sql read and write other files (COPY ... TO, read_csv); off: the logs only")
    .action(async (name, o) => {
      if (o.list) {
        for (const q of NAMED_QUERIES) {
          const params = q.params.map((p) => ` --param ${p.name}=<${p.kind}>`).join("");
          io.out(`${q.id}${params}\n    ${q.description} (Athena named query ${q.name})\n`);
        }
        return;
      }
      if (!o.logs) throw new EngineError("--logs is required");
      const { queryCommand } = await import("../engine/commands/query-command");
      await queryCommand(
        { name, sql: o.sql, logs: o.logs, params: o.param, format: o.format, allowFileAccess: o.allowFileAccess },
        io,
      );
    });

  program
    .command("replay")
    .description(
      "replay flow-log records through a deployed metric filter and its alarm (the walkthrough's ping deny by default)",
    )
    .requiredOption("--logs <path...>", "files, folders (recursive) or globs", collect)
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .option(
      "--detection <id>",
      `a detection of the catalogue (${DETECTION_IDS.join(", ")}), for the LAB_* settings in the environment`,
      "ping-deny",
    )
    .option("--vpc-cidr <block>", VPC_CIDR_HELP)
    .action(async (o) => {
      const { replayCommand } = await import("../engine/commands/replay-command");
      await replayCommand({ logs: o.logs, format: o.format, detection: o.detection, vpcCidr: o.vpcCidr }, io);
    });

  program
    .command("detect")
    .description(
      "run every detection (as the lab deploys it for the LAB_* settings in the environment) over flow-log files and list when each alarm would have fired",
    )
    .requiredOption("--logs <path...>", "files, folders (recursive) or globs", collect)
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv"]).default("table"))
    .option("--vpc-cidr <block>", VPC_CIDR_HELP)
    .action(async (o) => {
      const { detectCommand } = await import("../engine/commands/detect-command");
      await detectCommand({ logs: o.logs, format: o.format, vpcCidr: o.vpcCidr }, io);
    });

  program
    .command("generate")
    .description("write realistic, reproducible synthetic flow logs in the S3 layout")
    .option("--records <n>", "number of synthetic records")
    .option("--scenario <name>", `an hour of traffic with a known incident (or none) instead: ${SCENARIOS.join(", ")}`)
    .requiredOption("--out <dir>", "output folder (AWSLogs/... is created inside)")
    .option("--seed <n>", "random seed", "1")
    .option("--start <iso>", "time of the first record", "2024-05-01T00:00:00Z")
    .option("--per-minute <n>", "records per one-minute aggregation interval", "1000")
    .addOption(new Option("--format <format>", "file format").choices(["text", "parquet"]).default("text"))
    .addOption(
      new Option("--log-format <format>", "the records' fields (as LAB_FLOW_LOG_FORMAT)")
        .choices([...FLOW_LOG_FORMATS])
        .default("default"),
    )
    .option("--hive-partitions", "Hive-compatible prefixes (as LAB_FLOW_LOG_HIVE_PARTITIONS=true)")
    .option("--per-hour", "one folder per hour (as LAB_FLOW_LOG_PER_HOUR=true)")
    .action(async (o) => {
      const { generateCommand } = await import("../engine/commands/generate-command");
      await generateCommand(
        {
          records: o.records,
          scenario: o.scenario,
          out: o.out,
          seed: o.seed,
          start: o.start,
          format: o.format,
          logFormat: o.logFormat,
          hivePartitions: o.hivePartitions === true,
          perHour: o.perHour === true,
          perMinute: o.perMinute,
        },
        io,
      );
    });

  return program;
}

/** Runs the CLI on `argv` (node, script, args...); resolves to the exit code. */
export async function main(argv: string[], io: CommandIo = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    const badInput = [EngineError, QueryError, PatternSyntaxError, UnsupportedPatternError].some(
      (t) => error instanceof t,
    );
    io.err(`flowlogs: ${(error as Error).message}\n`);
    return badInput ? EXIT_BAD_INPUT : 1;
  }
}

if (require.main === module) {
  // Ctrl-C, `kill`, `timeout`, a CI job cancelled, the terminal closed: exit (128 + the signal's number,
  // as shells report it) through the exit handlers, which remove the run's work folder.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
    process.on(signal, () => process.exit(128 + constants.signals[signal]));

  // `flowlogs query ... | head` closes stdout early: that is not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });

  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
