/**
 * The CLI as a process: what only a real process shows (its exit code on a signal, the temp folder it
 * is given). Started from the sources through ts-node, as the reader processes are in tests.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { generateLogs } from "../../engine/generate/write-generated-logs";

jest.setTimeout(60_000);

const root = join(__dirname, "..", "..");
let dir: string;
let logs: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flowlogs-process-"));
  logs = join(dir, "logs");
  // Enough records that top-talkers is still reading when the signal comes (about a second from the sources).
  await generateLogs({ records: 300_000, outDir: logs });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ended {
  readonly code: number | null;
  readonly err: string;
}

/** Runs the CLI with TMPDIR set; `whenWorking` is called once the run's work folder exists in it. */
function flowlogs(args: string[], temp: string, whenWorking?: (pid: number) => void): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--require", "ts-node/register/transpile-only", join(root, "cli", "flowlogs.ts"), ...args],
      { cwd: root, env: { ...process.env, TMPDIR: temp, TS_NODE_SWC: "true" }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const poll = whenWorking
      ? setInterval(() => {
          if (existsSync(temp) && readdirSync(temp).some((name) => name.startsWith("flowlogs-"))) {
            clearInterval(poll);
            whenWorking(child.pid!);
          }
        }, 20)
      : undefined;
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      resolve({ code, err });
    });
  });
}

test.each(["SIGTERM", "SIGHUP", "SIGINT"] as const)(
  "%s mid-run: exit 128 + the signal's number, and the run's work folder is gone",
  async (signal) => {
    const temp = join(dir, `tmp-${signal}`);
    mkdirSync(temp);
    const ended = await flowlogs(["query", "top-talkers", "--logs", logs], temp, (pid) => process.kill(pid, signal));
    expect(ended.code).toBe(128 + constants.signals[signal]);
    expect(readdirSync(temp).filter((name) => name.startsWith("flowlogs-"))).toEqual([]);
  },
);

test("a temp folder that cannot exist: exit 2, naming TMPDIR and the folder", async () => {
  // Under a file: a folder that is merely missing, ts-node's compile cache would create (the built CLI does not).
  const file = join(dir, "a-file");
  writeFileSync(file, "");
  const impossible = join(file, "tmp");
  const ended = await flowlogs(["query", "rejected-traffic", "--logs", logs], impossible);
  expect(ended.code).toBe(2);
  expect(ended.err).toMatch(
    new RegExp(
      `^flowlogs: TMPDIR: cannot make the run's work folder in ${impossible} \\(ENOTDIR.*\\); expected a folder`,
    ),
  );
});
