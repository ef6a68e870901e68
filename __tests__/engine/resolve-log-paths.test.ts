/** `--logs` resolution: symbolic links followed (loops, duplicates, broken links) and globs. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { EngineError } from "../../engine/engine-error";
import { resolveLogPaths } from "../../engine/logs/resolve-log-paths";

let dir: string;

/** Creates the files (paths relative to `dir`), each holding one record. */
function files(...paths: string[]): void {
  for (const path of paths) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), "2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK\n");
  }
}

function link(path: string, target: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  symlinkSync(join(dir, target), join(dir, path));
}

/** The resolved paths, relative to `dir`. */
function resolved(...inputs: string[]): string[] {
  return resolveLogPaths(inputs.map((input) => join(dir, input))).map((f) => f.path.slice(dir.length + 1));
}

function failure(...inputs: string[]): unknown {
  try {
    resolved(...inputs);
  } catch (e) {
    return e;
  }
  throw new Error("resolved without an error");
}

beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "resolve-log-paths-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("symbolic links", () => {
  test("a linked file in a folder is read with the others", () => {
    files("store/x.log", "logs/b.log");
    link("logs/a.log", "store/x.log");
    expect(resolved("logs")).toEqual(["logs/a.log", "logs/b.log"]);
  });

  test("a linked folder is searched, also when a folder holds nothing but links", () => {
    files("store/2021/x.log", "store/y.log");
    link("logs/day", "store/2021");
    link("only/y.log", "store/y.log");
    expect(resolved("logs")).toEqual(["logs/day/x.log"]);
    expect(resolved("only")).toEqual(["only/y.log"]);
  });

  test("a loop of links ends: each file once, through folders and through globs", () => {
    files("root/x.log", "store/y.log");
    link("root/logs", "store");
    link("store/up", "root"); // root/logs/up is root again
    expect(resolved("root")).toEqual(["root/logs/y.log", "root/x.log"]);
    expect(resolved("root/**/*.log")).toEqual(["root/logs/y.log", "root/x.log"]);
  });

  test("one file reached by two links, or by a link and its own path, is read once", () => {
    files("store/x.log");
    link("logs/a.log", "store/x.log");
    link("logs/b.log", "store/x.log");
    expect(resolved("logs")).toEqual(["logs/a.log"]);
    expect(resolved("store/x.log", "logs")).toEqual(["store/x.log"]);
  });

  test.each([
    ["in a folder searched", "logs"],
    ["named outright", "logs/gone.log"],
    ["matched by a glob", "logs/*.log"],
  ])("a broken link %s is an error naming it and its target", (_, input) => {
    files("logs/b.log");
    link("logs/gone.log", "nowhere.log");
    const e = failure(input);
    expect(e).toBeInstanceOf(EngineError);
    expect((e as Error).message).toBe(
      `log path not found: ${join(dir, "logs/gone.log")}: a broken symbolic link to ${join(dir, "nowhere.log")}`,
    );
  });
});

describe("globs", () => {
  beforeEach(() =>
    files("2021/05/21/t0550.log", "2021/05/21/t0600.log", "2021/05/21/t0610.log", "2021/05/21/t0620.log"),
  );

  test("character classes: ranges and sets, in folders and file names", () => {
    expect(resolved("**/t05[5-9]0.log")).toEqual(["2021/05/21/t0550.log"]);
    expect(resolved("20[0-9][0-9]/*/*/t06[02]0.log")).toEqual(["2021/05/21/t0600.log", "2021/05/21/t0620.log"]);
  });

  test("negated classes: [!...] and [^...]", () => {
    const others = ["2021/05/21/t0600.log", "2021/05/21/t0620.log"];
    expect(resolved("**/t06[!1]0.log")).toEqual(others);
    expect(resolved("**/t06[^1]0.log")).toEqual(others);
  });

  test.each([
    ["an unterminated [", "**/t05[5-9.log", '"[" with no closing "]" in "t05[5-9.log"'],
    ["a reversed range", "**/t05[9-5]0.log", 'reversed range "9-5" in "t05[9-5]0.log"'],
  ])("%s is an error naming the argument, not a RegExp exception", (_, glob, reason) => {
    const e = failure(glob);
    expect(e).toBeInstanceOf(EngineError);
    expect((e as Error).message).toBe(`--logs ${join(dir, glob)}: ${reason} (a literal [ is written [[])`);
  });

  test("a folder matched is searched like a folder named", () => {
    const all = ["2021/05/21/t0550.log", "2021/05/21/t0600.log", "2021/05/21/t0610.log", "2021/05/21/t0620.log"];
    expect(resolved("*")).toEqual(all);
    expect(resolved("20[0-9][0-9]/0?")).toEqual(all);
  });
});

describe("names holding glob characters", () => {
  test("a file or folder that exists as written is taken as written, before the glob", () => {
    files("run[1]", "runs/run[1]/x.log", "runs/run1/y.log", "others/run1/z.log");
    expect(resolved("run[1]")).toEqual(["run[1]"]);
    expect(resolved("runs/run[1]/*.log")).toEqual(["runs/run[1]/x.log"]);
    expect(resolved("others/run[1]/*.log")).toEqual(["others/run1/z.log"]); // no run[1] there: a glob
    expect(resolved("runs/run[[]1]/*.log")).toEqual(["runs/run[1]/x.log"]);
  });
});
