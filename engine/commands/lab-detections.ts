import { parseIpv4Cidr } from "../../config/cidr";
import { ConfigError, loadConfig } from "../../config/lab-config";
import { labDetections, type LabDetections } from "../../monitoring/detections";
import { flowLogFields, type FlowLogField, type FlowLogFormatName } from "../../monitoring/flow-log-fields";
import { EngineError } from "../engine-error";

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The catalogue's detections as the lab deploys them for these LAB_* settings (thresholds, VPC
 * block; `vpcCidr` for another VPC's, as the monitor stack deploys them): the offline commands read
 * the same environment as `cdktf synth`. A bad setting is bad
 * input (exit 2), named as synth names it.
 */
export function detectionsFor(env: Env, vpcCidr?: string): LabDetections {
  return deployedFor(env, vpcCidr).detections;
}

/** What the flow logs deliver and the stack deploys for these settings. */
export interface Deployed {
  readonly detections: LabDetections;
  /** LAB_FLOW_LOG_FORMAT */
  readonly format: FlowLogFormatName;
  /** The format's fields: the messages the metric filters read. */
  readonly fields: readonly FlowLogField[];
}

export function deployedFor(env: Env, vpcCidr?: string): Deployed {
  // A watched VPC's block (the monitor stack's), instead of the lab's LAB_VPC_CIDR.
  const block = vpcCidr === undefined ? undefined : parseIpv4Cidr(vpcCidr);
  if (typeof block === "string") throw new EngineError(`--vpc-cidr: got ${JSON.stringify(vpcCidr)}, expected ${block}`);
  try {
    const { config } = loadConfig(env);
    return {
      detections: labDetections(block ? { ...config, vpcCidr: block } : config),
      format: config.flowLogFormat,
      fields: flowLogFields(config.flowLogFormat),
    };
  } catch (error) {
    if (error instanceof ConfigError) throw new EngineError(error.message);
    throw error;
  }
}
