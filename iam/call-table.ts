/**
 * The checked-in table of IAM requests the CI roles make (iam/required-calls.json), as templates over a
 * deployment's names: written from a recorded emulator run, expanded for any configuration. `npm test`
 * simulates the table in several configurations; `npm run e2e` fails when a run makes a request the
 * table lacks (then: LAB_E2E_WRITE_IAM_TABLE=1 npm run e2e, and review the diff).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { labNames, stateKey, type LabNames } from "../config/names";
import type { Context } from "./iam-requests";
import type { CiRole, RoleRequest } from "./role-requests";
import type { SimulatedRequest } from "./simulate";

export interface TableRow {
  readonly role: CiRole;
  readonly action: string;
  readonly resource: string;
  readonly context: Context;
}

/** What a deployment's names and places are: the values templates stand for. */
export interface Placement {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly nameSuffix: string;
  readonly flowLogBucket?: string;
  readonly stateBucket: string;
  readonly projectTag: string;
}

/** The table beside this module's source (the compiled module runs from dist/iam/). */
export const TABLE_FILE = join(
  __dirname,
  basename(join(__dirname, "..")) === "dist" ? "../../iam" : ".",
  "required-calls.json",
);

/** Placeholder -> value, longest value first so that no shorter value replaces part of a longer one. */
function substitutions(place: Placement): [string, string][] {
  const names: LabNames = labNames(place, { region: place.region, accountId: place.accountId });
  const pairs: [string, string][] = [
    ...Object.entries(names).map(([key, value]) => [`{name:${key}}`, value] as [string, string]),
    ["{stateKey:lab}", stateKey("lab", place.nameSuffix)],
    ["{stateKey:state-backend}", stateKey("state-backend", place.nameSuffix)],
    ["{stateBucket}", place.stateBucket],
    ["{projectTag}", place.projectTag],
    ["{account}", place.accountId],
    ["{region}", place.region],
  ];
  return pairs.sort((a, b) => b[1].length - a[1].length);
}

const GENERATED_ID = /\b(vpc|subnet|sgr|sg|igw|rtb|acl|i|vol|eni|fl|ami|pl)-[0-9a-f]{8,17}\b/g;
const KMS_KEY_ID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
/** What a template's `{id}` becomes: any generated id (policies match ids only by `*`). */
export const SAMPLE_ID = "0a1b2c3d4e5f60718";

function toTemplate(text: string, place: Placement): string {
  // The partition only where an ARN names it: "aws" is also an account (AWS-owned) and a path (/aws/...).
  let out = text
    .replace(new RegExp(`^arn:${place.partition}:`), "arn:{partition}:")
    .replace(GENERATED_ID, "$1-{id}")
    .replace(KMS_KEY_ID, "{id}");
  for (const [placeholder, value] of substitutions(place)) {
    // Only whole ARN parts: a value must not be replaced inside a longer word.
    out = out.split(value).join(placeholder);
  }
  return out;
}

function fromTemplate(text: string, place: Placement): string {
  let out = text.split("{partition}").join(place.partition);
  for (const [placeholder, value] of substitutions(place)) out = out.split(placeholder).join(value);
  return out.split("{id}").join(SAMPLE_ID);
}

/**
 * The conditions that decide for the lab's policies: the project tag (on the request and on the
 * resource) and the services' own keys. Other tags (Name, LabSuffix) differ between deployments.
 */
function templateContext(context: Context, place: Placement): Context {
  const kept = Object.entries(context).filter(
    ([key]) => key === "aws:RequestTag/Project" || key === "aws:ResourceTag/Project" || !key.startsWith("aws:"),
  );
  return Object.fromEntries(
    kept.map(([key, value]) => [
      key,
      Array.isArray(value) ? value.map((v) => toTemplate(v, place)) : toTemplate(value, place),
    ]),
  );
}

/** A recorded request as a table row of the deployment it was recorded in. */
export function rowOf(request: RoleRequest, place: Placement): TableRow {
  return {
    role: request.role,
    action: request.action,
    resource: toTemplate(request.resource, place),
    context: templateContext(request.context, place),
  };
}

export function expand(row: TableRow, place: Placement): SimulatedRequest {
  const context = Object.fromEntries(
    Object.entries(row.context).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.map((v) => fromTemplate(v, place)) : fromTemplate(value, place),
    ]),
  );
  return { role: row.role, action: row.action, resource: fromTemplate(row.resource, place), context };
}

export function rowKey(row: TableRow): string {
  const context = Object.keys(row.context)
    .sort()
    .map((k) => [k, row.context[k]]);
  return JSON.stringify([row.role, row.action, row.resource, context]);
}

/** Rows without repeats, in a stable order (the file's diff shows what changed). */
export function uniqueRows(rows: readonly TableRow[]): TableRow[] {
  const byKey = new Map(rows.map((row) => [rowKey(row), row]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

export interface CallTable {
  readonly note: string;
  readonly rows: TableRow[];
}

export function readTable(file = TABLE_FILE): CallTable {
  return JSON.parse(readFileSync(file, "utf8")) as CallTable;
}

export function writeTable(rows: readonly TableRow[], file = TABLE_FILE): void {
  const table: CallTable = {
    note: "Written by LAB_E2E_WRITE_IAM_TABLE=1 npm run e2e from the calls the CI roles made against the emulator; templates over the naming catalogue (iam/call-table.ts).",
    rows: uniqueRows(rows),
  };
  writeFileSync(file, JSON.stringify(table, null, 2) + "\n");
}
