import { Annotations, App } from "cdktf";
import { ConfigError, loadConfig, type LoadedConfig } from "./config/lab-config";
import { LabStack } from "./stacks/lab-stack";
import { MonitorStack } from "./stacks/monitor-stack";
import { StateBackendStack } from "./stacks/state-backend-stack";

/** Stack names: `cdktf deploy lab`, `cdktf deploy state-backend`, `cdktf deploy monitor` (with LAB_MONITOR_VPCS). */
export const LAB_STACK = "lab";
export const STATE_BACKEND_STACK = "state-backend";
export const MONITOR_STACK = "monitor";

export function buildApp(loaded: LoadedConfig, outdir?: string): App {
  const app = new App(outdir ? { outdir } : undefined);
  new StateBackendStack(app, STATE_BACKEND_STACK, loaded.config);
  const lab = new LabStack(app, LAB_STACK, loaded.config);
  // The settings' warnings concern the lab; the cdktf CLI prints a stack's warnings as warnings.
  for (const warning of loaded.warnings) Annotations.of(lab).addWarning(warning);
  // Existing VPCs to watch: only then is there a monitor stack.
  if (loaded.config.monitorVpcs.length > 0) new MonitorStack(app, MONITOR_STACK, loaded.config);
  return app;
}

export interface RunOptions {
  /** Settings (LAB_*), and how the app is run: the cdktf CLI sets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly outdir?: string;
  readonly stderr?: (text: string) => void;
}

/** Checks the settings, then synthesizes the stacks. Returns the process exit code. */
export function run(options: RunOptions = {}): number {
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  const env = options.env ?? process.env;
  let loaded: LoadedConfig;
  try {
    // Every setting is checked before a single construct exists, so bad input writes nothing.
    loaded = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // Under the cdktf CLI the warnings reach the user as the lab stack's annotations ("Warning [lab]: ...");
  // the CLI would show anything on stderr as an error. Run directly, they go to stderr.
  if (env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS === undefined)
    for (const warning of loaded.warnings) stderr(`Warning: ${warning}\n`);
  buildApp(loaded, options.outdir).synth();
  return 0;
}

if (require.main === module) process.exitCode = run();
