import { App } from "cdktf";
import { ConfigError, loadConfig, type LoadedConfig } from "./config/lab-config";
import { LabStack } from "./stacks/lab-stack";
import { StateBackendStack } from "./stacks/state-backend-stack";

/** Stack names: `cdktf deploy lab`, `cdktf deploy state-backend`. */
export const LAB_STACK = "lab";
export const STATE_BACKEND_STACK = "state-backend";

export function buildApp(loaded: LoadedConfig, outdir?: string): App {
  const app = new App(outdir ? { outdir } : undefined);
  new StateBackendStack(app, STATE_BACKEND_STACK, loaded.config);
  new LabStack(app, LAB_STACK, loaded.config);
  return app;
}

function main(): void {
  let loaded: LoadedConfig;
  try {
    // Every setting is checked before a single construct exists, so bad input writes nothing.
    loaded = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  for (const warning of loaded.warnings) process.stderr.write(`Warning: ${warning}\n`);
  buildApp(loaded).synth();
}

if (require.main === module) main();
