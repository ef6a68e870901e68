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
 * 640 MB keeps the whole process under 1 GiB on top-talkers over 10 million records (~9.7 million
 * groups; 768 MB peaked at ~1.07 GiB); note that DuckDB's aggregate ran out of memory there with
 * limits between 448 and 576 MB, so measure before lowering it.
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
