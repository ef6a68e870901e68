import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EngineError } from "../engine-error";
import { installShims } from "./duckdb-shims";

export interface FlowLogDatabase {
  /** The connection to the current DuckDB instance (a new one after withoutMemoryLimit). */
  readonly connection: DuckDBConnection;
  /** This run's own folder (under TMPDIR): the record copies, and DuckDB's spill files. Removed on close. */
  readonly workDir: string;
  /** DuckDB's memory limit; null when it is DuckDB's own (80% of the RAM). */
  readonly memoryLimit: string | null;
  /**
   * Replaces the instance with one under DuckDB's own limit (a locked configuration cannot be changed,
   * so a new instance it is; the work folder stays). Views and settings are to be made again.
   */
  withoutMemoryLimit(): Promise<void>;
  close(): void;
}

/**
 * DuckDB's memory limit for a run: it spills beyond that to the run's folder. 256 MB keeps top-talkers
 * over 10 M records (~9.7 M groups) at ~420-470 MiB for the whole run, against ~800 MiB with 640 MB,
 * at the same speed (a full sort, a window and a count of distinct pairs took 0-8% longer;
 * docs/performance.md). DuckDB cannot spill everything (pinned read buffers, some aggregate states),
 * and runs out of memory under a limit at some sizes and not at others (it did with 448-576 MB on 32
 * MiB CSV buffers), so a query that does is run again under DuckDB's own limit (runOnFlowLogs).
 */
export const DEFAULT_MEMORY_LIMIT = "256MB";

/** Work folders still open: removed at exit too, so an interrupted run (Ctrl-C: see cli/) leaves no copies behind. */
const openWorkDirs = new Set<string>();
process.on("exit", () => openWorkDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function removeWorkDir(dir: string): void {
  openWorkDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * DuckDB reads every `name=value` folder of a record copy's path as a column (the copies are under
 * Hive-style date folders, CopySpool), and that column wins over the record's own field of that name:
 * a TMPDIR under `action=ACCEPT/` would make every copied record an ACCEPT. So a work folder's path
 * must have no such folder.
 */
export function checkTmpdir(dir: string): void {
  const folder = dir.split(/[/\\]/).find((name) => name.includes("="));
  if (folder !== undefined)
    throw new EngineError(
      `TMPDIR: ${dir} has a folder named ${folder}, which DuckDB would read as a column of every record ` +
        `copied there; expected a folder with no "=" in its path`,
    );
}

/** The run's own folder in the temp folder; a temp folder that is missing or read-only is the user's to fix. */
function makeWorkDir(temp: string): string {
  try {
    return mkdtempSync(join(temp, "flowlogs-"));
  } catch (error) {
    throw new EngineError(
      `TMPDIR: cannot make the run's work folder in ${temp} (${(error as Error).message}); expected a folder this user can write to`,
    );
  }
}

/**
 * An in-memory DuckDB with a memory cap (spilling to a temp folder beyond it), so a laptop can
 * query more flow logs than fit in RAM. Insertion order is not needed: dropping it saves memory.
 * The spill folder is the run's own: DuckDB may always write there, so it must hold nothing else.
 */
export async function openFlowLogDatabase(memoryLimit: string | null = DEFAULT_MEMORY_LIMIT): Promise<FlowLogDatabase> {
  const workDir = makeWorkDir(tmpdir());
  openWorkDirs.add(workDir);
  const spill = join(workDir, "spill");
  mkdirSync(spill);
  try {
    let current = await openInstance(spill, memoryLimit);
    let limit = memoryLimit;
    return {
      get connection() {
        return current.connection;
      },
      workDir,
      get memoryLimit() {
        return limit;
      },
      async withoutMemoryLimit() {
        closeInstance(current);
        limit = null;
        current = await openInstance(spill, null);
      },
      close() {
        closeInstance(current);
        removeWorkDir(workDir);
      },
    };
  } catch (error) {
    removeWorkDir(workDir);
    throw error;
  }
}

interface Instance {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
}

async function openInstance(spill: string, memoryLimit: string | null): Promise<Instance> {
  const instance = await DuckDBInstance.create(":memory:", {
    ...(memoryLimit === null ? {} : { memory_limit: memoryLimit }),
    temp_directory: spill,
    preserve_insertion_order: "false",
  });
  try {
    const connection = await instance.connect();
    await installShims(connection);
    return { instance, connection };
  } catch (error) {
    instance.closeSync();
    throw error;
  }
}

function closeInstance({ instance, connection }: Instance): void {
  connection.closeSync();
  instance.closeSync();
}
