// Brings the type declarations of cdktf's jest matchers into the test files.
import "cdktf/lib/testing/adapters/jest";
import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { loadConfig, type LabConfig } from "../config/lab-config";
import { LabStack } from "../stacks/lab-stack";
import { MonitorStack } from "../stacks/monitor-stack";
import { StateBackendStack } from "../stacks/state-backend-stack";

/** Synthesized Terraform JSON, parsed. */
export interface TfJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  terraform: Record<string, unknown>;
  provider?: Record<string, unknown[]>;
}

export function configFrom(env: Record<string, string> = {}): LabConfig {
  return loadConfig(env).config;
}

/** Synthesizes one construct tree inside a bare stack and returns the JSON string (for the matchers). */
export function synthConstruct(build: (scope: Construct) => void): string {
  return Testing.synthScope((scope) => build(scope));
}

export function parse(synthesized: string): TfJson {
  return JSON.parse(synthesized) as TfJson;
}

export function synthLab(env: Record<string, string> = {}): { json: string; tf: TfJson; stack: LabStack } {
  const app = Testing.app();
  const stack = new LabStack(app, "lab", configFrom(env));
  const json = Testing.synth(stack);
  return { json, tf: parse(json), stack };
}

export function synthMonitor(env: Record<string, string>): { json: string; tf: TfJson; stack: MonitorStack } {
  const app = Testing.app();
  const stack = new MonitorStack(app, "monitor", configFrom(env));
  const json = Testing.synth(stack);
  return { json, tf: parse(json), stack };
}

export function synthStateBackend(env: Record<string, string> = {}): { json: string; tf: TfJson } {
  const app = Testing.app();
  const stack = new StateBackendStack(app, "state-backend", configFrom(env));
  const json = Testing.synth(stack);
  return { json, tf: parse(json) };
}

/** All resources of one Terraform type, keyed by their logical id. */
export function resources(tf: TfJson, type: string): Record<string, Record<string, unknown>> {
  return tf.resource[type] ?? {};
}

/** The single resource of a type; fails the test if there is not exactly one. */
export function only(tf: TfJson, type: string): { id: string; body: Record<string, unknown> } {
  const entries = Object.entries(resources(tf, type));
  if (entries.length !== 1) throw new Error(`expected exactly one ${type}, found ${entries.length}`);
  return { id: entries[0][0], body: entries[0][1] };
}

/** The Terraform reference expression to an attribute of the single resource of a type. */
export function ref(tf: TfJson, type: string, attribute: string): string {
  return `\${${type}.${only(tf, type).id}.${attribute}}`;
}

export function policyOf(body: Record<string, unknown>, key = "policy"): { Statement: Record<string, unknown>[] } {
  return JSON.parse(body[key] as string);
}

export { TerraformStack };

/** The Terraform reference expression to an attribute of the single data source of a type. */
export function dataRef(tf: TfJson, type: string, attribute: string): string {
  const entries = Object.keys(tf.data?.[type] ?? {});
  if (entries.length !== 1) throw new Error(`expected exactly one data.${type}, found ${entries.length}`);
  return `\${data.${type}.${entries[0]}.${attribute}}`;
}
