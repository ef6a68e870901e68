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

export interface RunOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly outdir?: string;
  readonly stderr?: (text: string) => void;
}

/** Checks the settings, then synthesizes both stacks. Returns the process exit code. */
export function run(options: RunOptions = {}): number {
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  let loaded: LoadedConfig;
  try {
    // Every setting is checked before a single construct exists, so bad input writes nothing.
    loaded = loadConfig(options.env ?? process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  for (const warning of loaded.warnings) stderr(`Warning: ${warning}\n`);
  buildApp(loaded, options.outdir).synth();
  return 0;
}

if (require.main === module) process.exitCode = run();
