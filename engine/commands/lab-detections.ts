import { ConfigError, loadConfig } from "../../config/lab-config";
import { labDetections, type LabDetections } from "../../monitoring/detections";
import { EngineError } from "../engine-error";

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The catalogue's detections as the lab deploys them for these LAB_* settings (thresholds, VPC
 * block): the offline commands read the same environment as `cdktf synth`. A bad setting is bad
 * input (exit 2), named as synth names it.
 */
export function detectionsFor(env: Env): LabDetections {
  try {
    return labDetections(loadConfig(env).config);
  } catch (error) {
    if (error instanceof ConfigError) throw new EngineError(error.message);
    throw error;
  }
}
