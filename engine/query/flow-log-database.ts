import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ALL_PARTITION_COLUMNS } from "../../monitoring/flow-log-storage";
import { EngineError } from "../engine-error";
import { installShims } from "./duckdb-shims";

export interface FlowLogDatabase {
  readonly connection: DuckDBConnection;
  /** This run's own folder (under TMPDIR): the record copies, and DuckDB's spill files. Removed on close. */
  readonly workDir: string;
  close(): void;
}

/** Work folders still open: removed at exit too, so an interrupted run (Ctrl-C: see cli/) leaves no copies behind. */
const openWorkDirs = new Set<string>();
process.on("exit", () => openWorkDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function removeWorkDir(dir: string): void {
  openWorkDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * DuckDB reads every `name=value` folder of a record copy's path as a partition (the copies are under
 * Hive-style date folders, CopySpool), the first of a name winning: a TMPDIR under `day=01/` would give
 * every record that day.
 */
export function checkTmpdir(dir: string): void {
  const folder = dir
    .split(/[/\\]/)
    .find((name) => ALL_PARTITION_COLUMNS.some((column) => name.toLowerCase().startsWith(`${column}=`)));
  if (folder !== undefined)
    throw new EngineError(
      `TMPDIR: ${dir} has a folder named ${folder}, which DuckDB would read as the partition column of every ` +
        `record copied there; expected a folder without ${ALL_PARTITION_COLUMNS.map((c) => `${c}=`).join(", ")} in its path`,
    );
}

/**
 * An in-memory DuckDB with a memory cap (spilling to a temp folder beyond it), so a laptop can
 * query more flow logs than fit in RAM. Insertion order is not needed: dropping it saves memory.
 * 640 MB: top-talkers over 10 million records (~9.7 million groups) peaked at 0.78-1.08 GiB for
 * the whole process depending on load (768 MB: ~1.07 GiB and more); DuckDB's aggregate ran out of
 * memory there with limits between 448 and 576 MB (384 MB worked), so measure before changing it.
 * The spill folder is the run's own: DuckDB may always write there, so it must hold nothing else.
 */
export async function openFlowLogDatabase(memoryLimit = "640MB"): Promise<FlowLogDatabase> {
  checkTmpdir(tmpdir());
  const workDir = mkdtempSync(join(tmpdir(), "flowlogs-"));
  openWorkDirs.add(workDir);
  const spill = join(workDir, "spill");
  mkdirSync(spill);
  let instance: DuckDBInstance | undefined;
  try {
    instance = await DuckDBInstance.create(":memory:", {
      memory_limit: memoryLimit,
      temp_directory: spill,
      preserve_insertion_order: "false",
    });
    const connection = await instance.connect();
    await installShims(connection);
    const opened = instance;
    return {
      connection,
      workDir,
      close() {
        connection.closeSync();
        opened.closeSync();
        removeWorkDir(workDir);
      },
    };
  } catch (error) {
    instance?.closeSync();
    removeWorkDir(workDir);
    throw error;
  }
}
