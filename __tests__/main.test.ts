import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../main";

describe("the app", () => {
  let outdir: string;
  beforeEach(() => (outdir = join(mkdtempSync(join(tmpdir(), "lab-synth-")), "cdktf.out")));
  afterEach(() => rmSync(join(outdir, ".."), { recursive: true, force: true }));

  test("synthesizes both stacks and prints the warnings", () => {
    const messages: string[] = [];
    expect(run({ env: {}, outdir, stderr: (t) => messages.push(t) })).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["lab", "state-backend"]);
    expect(existsSync(join(outdir, "stacks", "lab", "cdk.tf.json"))).toBe(true);
    expect(messages.join("")).toMatch(/Warning: LAB_ALERT_EMAIL is not set/);
  });

  test("under the cdktf CLI the warnings are the lab stack's annotations, not stderr", () => {
    const messages: string[] = [];
    const env = { CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true" };
    expect(run({ env, outdir, stderr: (t) => messages.push(t) })).toBe(0);
    expect(messages).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    const annotations = manifest.stacks.lab.annotations as { level: string; message: string }[];
    expect(annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: "@cdktf/warn",
          message: expect.stringMatching(/^LAB_ALERT_EMAIL is not set/),
        }),
      ]),
    );
  });

  test("bad input: every problem reported, exit code 1, nothing written", () => {
    const messages: string[] = [];
    const code = run({
      env: { LAB_VPC_CIDR: "10.0.0.0/99", LAB_ALERT_EMAIL: "x" },
      outdir,
      stderr: (t) => messages.push(t),
    });
    expect(code).toBe(1);
    expect(messages.join("")).toMatch(/2 problems.*\n.*LAB_VPC_CIDR: got "10.0.0.0\/99".*\n.*LAB_ALERT_EMAIL: got "x"/);
    expect(existsSync(outdir)).toBe(false);
  });
});
