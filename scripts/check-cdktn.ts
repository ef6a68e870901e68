/**
 * `npm run check:cdktn`: the way out of CDKTF (archived 2025-12-10), proven. Copies the app into a temporary
 * folder, installs CDK Terrain's packages there (cdktn, @cdktn/provider-aws), rewrites the imports, synthesizes
 * both stacks in two configurations and compares the Terraform JSON with cdktf's. Every difference is listed
 * with its reason; one without a known reason fails the check. When the npm registry does not answer, it says
 * so and exits 0 (there is nothing to check against). Steps for a real move: docs/cdktn.md.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

/** The CDK Terrain packages of the move (as listed in the npm registry here). */
export const CDKTN = { cdktn: "0.24.0", "@cdktn/provider-aws": "25.7.0", constructs: "10.7.2" } as const;

/** The app's sources: everything main.ts reaches (the engine, the CLI and the dev tools are not the app). */
const APP = ["main.ts", "config", "constructs", "stacks", "monitoring"];

/** Differences with a known reason, by JSON path pattern. */
export const EXPLAINED: readonly { readonly path: RegExp; readonly why: string }[] = [
  { path: /^\/\/\.metadata\.version$/, why: "the synthesizing library's version (cdktf 0.21.0, cdktn 0.24.0)" },
  {
    path: /^terraform\.required_providers\.aws\.source$/,
    why: 'the same provider: Terraform reads the unqualified "aws" as registry.terraform.io/hashicorp/aws',
  },
  {
    path: /^terraform\.required_providers\.aws\.version$/,
    why: "@cdktn/provider-aws 25.7.0 is generated from AWS provider 6.66.0, @cdktf/provider-aws 21.22.1 from 6.25.0",
  },
];

export const CONFIGURATIONS: Record<string, Record<string, string>> = {
  defaults: {},
  full: {
    LAB_ALERT_EMAIL: "ops@example.com",
    LAB_STATE_BUCKET: "example-lab-tfstate",
    LAB_GITHUB_REPOSITORY: "example/vpc-flow-logs-lab",
    LAB_NAME_SUFFIX: "blue",
  },
};

/** `cdktf` imports as CDK Terrain's: a package rename. */
export function toCdktn(source: string): string {
  return source
    .replace(/(from |import |require\()"cdktf(?=["/])/g, '$1"cdktn')
    .replace(/(from |import |require\()"@cdktf\/provider-aws\//g, '$1"@cdktn/provider-aws/');
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** Paths (`a.b.c`) where two JSON values differ. */
export function differences(a: unknown, b: unknown, path = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObject = (v: unknown) => v !== null && typeof v === "object";
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return [path];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  return [...keys].flatMap((key) =>
    differences(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      path ? `${path}.${key}` : key,
    ),
  );
}

function valueAt(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

function run(command: string, args: string[], cwd: string): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 1 << 26, timeout: 600_000 });
  return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

function synth(app: string, env: Record<string, string>, outdir: string): Record<string, unknown> {
  const script = `process.exitCode = require(${JSON.stringify(app)}).run({ env: ${JSON.stringify(env)}, outdir: ${JSON.stringify(outdir)}, stderr: () => {} })`;
  const result = run(process.execPath, ["-e", script], root);
  if (!result.ok) throw new Error(`synth with ${app} failed:\n${result.output}`);
  return Object.fromEntries(
    ["lab", "state-backend"].map((stack) => [
      stack,
      JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")),
    ]),
  );
}

function main(): number {
  const work = mkdtempSync(join(tmpdir(), "lab-cdktn-"));
  try {
    for (const entry of APP) cpSync(join(root, entry), join(work, entry), { recursive: true });
    for (const file of tsFiles(work)) writeFileSync(file, toCdktn(readFileSync(file, "utf8")));
    const ours = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    writeFileSync(
      join(work, "package.json"),
      JSON.stringify({ private: true, dependencies: { ...CDKTN, zod: ours.dependencies.zod } }, null, 2),
    );
    writeFileSync(
      join(work, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "commonjs",
          strict: true,
          skipLibCheck: true,
          esModuleInterop: true,
          outDir: "dist",
          rootDir: ".",
          types: ["node"],
          typeRoots: [join(root, "node_modules", "@types")],
        },
        include: ["**/*.ts"],
        exclude: ["node_modules", "dist"],
      }),
    );

    process.stdout.write(
      `installing ${Object.entries(CDKTN)
        .map(([p, v]) => `${p}@${v}`)
        .join(", ")} ...\n`,
    );
    const install = run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], work);
    if (!install.ok) {
      process.stdout.write(`NOT RUN: the npm registry did not answer for CDK Terrain's packages:\n${install.output}\n`);
      return 0;
    }
    const compile = run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", work], work);
    if (!compile.ok) throw new Error(`the app does not compile against CDK Terrain:\n${compile.output}`);

    let unexplained = 0;
    for (const [name, env] of Object.entries(CONFIGURATIONS)) {
      mkdirSync(join(work, "out", name), { recursive: true });
      const cdktf = synth(join(root, "dist", "main.js"), env, join(work, "out", name, "cdktf"));
      const cdktn = synth(join(work, "dist", "main.js"), env, join(work, "out", name, "cdktn"));
      for (const stack of Object.keys(cdktf)) {
        for (const path of differences(cdktf[stack], cdktn[stack])) {
          const reason = EXPLAINED.find((e) => e.path.test(path))?.why;
          if (!reason) unexplained += 1;
          const values = `${JSON.stringify(valueAt(cdktf[stack], path))} -> ${JSON.stringify(valueAt(cdktn[stack], path))}`;
          process.stdout.write(`${name} ${stack}: ${path}: ${values}: ${reason ?? "UNEXPLAINED"}\n`);
        }
      }
    }
    process.stdout.write(
      unexplained === 0
        ? "cdktn synthesizes the same Terraform JSON as cdktf, but for the differences listed with their reasons\n"
        : `${unexplained} differences without a known reason\n`,
    );
    return unexplained === 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main();
