import { parseIpv4Cidr } from "../../config/cidr";
import { ConfigError, loadConfig } from "../../config/lab-config";
import { labDetections, type LabDetections } from "../../monitoring/detections";
import { EngineError } from "../engine-error";

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The catalogue's detections as the lab deploys them for these LAB_* settings (thresholds, VPC
 * block; `vpcCidr` for another VPC's, as the monitor stack deploys them): the offline commands read
 * the same environment as `cdktf synth`. A bad setting is bad
 * input (exit 2), named as synth names it.
 */
export function detectionsFor(env: Env, vpcCidr?: string): LabDetections {
  // A watched VPC's block (the monitor stack's), instead of the lab's LAB_VPC_CIDR.
  const block = vpcCidr === undefined ? undefined : parseIpv4Cidr(vpcCidr);
  if (typeof block === "string") throw new EngineError(`--vpc-cidr: got ${JSON.stringify(vpcCidr)}, expected ${block}`);
  try {
    const { config } = loadConfig(env);
    return labDetections(block ? { ...config, vpcCidr: block } : config);
  } catch (error) {
    if (error instanceof ConfigError) throw new EngineError(error.message);
    throw error;
  }
}
