import { differences, EXPLAINED, toCdktn } from "../scripts/check-cdktn";

test("imports are renamed to CDK Terrain's packages, nothing else", () => {
  const source = [
    'import { App, Fn } from "cdktf";',
    'import { Vpc } from "@cdktf/provider-aws/lib/vpc";',
    'import "cdktf/lib/testing/adapters/jest";',
    'const name = "cdktf";',
  ].join("\n");
  expect(toCdktn(source).split("\n")).toEqual([
    'import { App, Fn } from "cdktn";',
    'import { Vpc } from "@cdktn/provider-aws/lib/vpc";',
    'import "cdktn/lib/testing/adapters/jest";',
    'const name = "cdktf";',
  ]);
});

test("differences name every path where two JSON documents differ", () => {
  const a = { "//": { metadata: { version: "0.21.0" } }, resource: { x: { y: [1, 2] } }, same: 1 };
  const b = { "//": { metadata: { version: "0.24.0" } }, resource: { x: { y: [1, 3] } }, same: 1, extra: true };
  expect(differences(a, b).sort()).toEqual(["//.metadata.version", "extra", "resource.x.y.1"]);
  expect(EXPLAINED.some((e) => e.path.test("//.metadata.version"))).toBe(true);
  expect(EXPLAINED.some((e) => e.path.test("resource.x.y.1"))).toBe(false);
});
