/** The README, docs/ and `help` point only at things that exist: files, npm scripts, settings. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SETTINGS } from "../config/settings";

const root = join(__dirname, "..");
const pages = ["README.md", "help", ...readdirSync(join(root, "docs")).map((f) => join("docs", f))];
const scripts = Object.keys(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts);
const settings = new Set(Object.values(SETTINGS).map((s) => s.env));

describe.each(pages)("%s", (page) => {
  const text = readFileSync(join(root, page), "utf8");

  test("links to files that exist", () => {
    const links = [...text.matchAll(/\]\((?!https?:|#)([^)#\s]+)/g)].map((m) => m[1]);
    const missing = links.filter((link) => !existsSync(join(root, dirname(page), link)));
    expect(missing).toEqual([]);
  });

  test("names only npm scripts that package.json has", () => {
    const named = [...text.matchAll(/npm run (?:--silent )?([\w:.-]+)/g)].map((m) => m[1]);
    expect(named.filter((s) => !scripts.includes(s))).toEqual([]);
  });

  test("names only settings that exist", () => {
    const named = [...text.matchAll(/\b(LAB_[A-Z_]+[A-Z])\b/g)].map((m) => m[1]);
    const extra = new Set([
      "LAB_CACHE_DIR",
      "LAB_MOTO_PORT",
      "LAB_MOTO_VERSION",
      "LAB_MOTO_SSL",
      "LAB_MOTO_RECORD",
      "LAB_E2E_PROVIDER",
      "LAB_E2E_WRITE_IAM_TABLE",
      "LAB_PYTHON",
      "LAB_TEST_TERRAFORM",
      "LAB_MOTO_PIDFILE",
      "LAB_MOTO_LOG",
      "LAB_MOTO_TIMEOUT",
    ]);
    expect(named.filter((s) => !settings.has(s) && !extra.has(s))).toEqual([]);
  });
});

test("`help` names every npm script but cdktf's template ones and those it shows as npx cdktf", () => {
  const help = readFileSync(join(root, "help"), "utf8");
  const template = new Set(["watch", "get", "test:watch", "upgrade", "upgrade:next", "prepare", "format"]);
  const asCdktf = new Set(["synth", "deploy", "diff", "destroy"]);
  const missing = scripts.filter(
    (s) =>
      !template.has(s) &&
      !(asCdktf.has(s) && help.includes(`npx cdktf ${s}`)) &&
      !help.includes(`npm ${s === "test" ? "test" : `run ${s}`}`),
  );
  expect(missing).toEqual([]);
});
