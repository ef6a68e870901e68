import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { tmpdir } from "node:os";
import { installShims } from "./duckdb-shims";

export interface FlowLogDatabase {
  readonly connection: DuckDBConnection;
  close(): void;
}

/**
 * An in-memory DuckDB with a memory cap (spilling to a temp folder beyond it), so a laptop can
 * query more flow logs than fit in RAM. Insertion order is not needed: dropping it saves memory.
 * 640 MB: top-talkers over 10 million records (~9.7 million groups) peaked at 0.78-1.08 GiB for
 * the whole process depending on load (768 MB: ~1.07 GiB and more); DuckDB's aggregate ran out of
 * memory there with limits between 448 and 576 MB (384 MB worked), so measure before changing it.
 */
export async function openFlowLogDatabase(memoryLimit = "640MB"): Promise<FlowLogDatabase> {
  const instance = await DuckDBInstance.create(":memory:", {
    memory_limit: memoryLimit,
    temp_directory: tmpdir(),
    preserve_insertion_order: "false",
  });
  const connection = await instance.connect();
  await installShims(connection);
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
