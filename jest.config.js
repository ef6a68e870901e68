/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // Jest's default is one worker less than the CPUs: a single worker on a 2-core machine (25.9 s
  // against 14.3 s for two, measured here). The suites are CPU-bound and independent.
  maxWorkers: "100%",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // swc strips types without checking them (fast); `npm run typecheck` checks types.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // A temp folder per run, removed at the end (cdktf's Testing leaves a folder per synth otherwise).
  globalSetup: "<rootDir>/__tests__/global/setup.ts",
  globalTeardown: "<rootDir>/__tests__/global/teardown.ts",
  moduleFileExtensions: ["ts", "js", "json"],
  // The Terraform tier (terraform init + validate with the real provider, ~15 s) runs with
  // `npm run test:terraform`; `npm test` stays fast.
  testPathIgnorePatterns: [
    "/node_modules/",
    "/dist/",
    "/cdktf.out/",
    ...(process.env.LAB_TEST_TERRAFORM ? [] : ["/__tests__/terraform/"]),
  ],
};
