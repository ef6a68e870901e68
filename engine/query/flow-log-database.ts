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
 */
export async function openFlowLogDatabase(memoryLimit = "768MB"): Promise<FlowLogDatabase> {
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
