import { join } from "node:path";
import { only, resources, synthStateBackend } from "../helpers";

test("bootstraps the named state bucket on local state", () => {
  const { tf } = synthStateBackend({ LAB_STATE_BUCKET: "my-state", LAB_STATE_REGION: "eu-west-1" });
  expect(only(tf, "aws_s3_bucket").body).toMatchObject({ bucket: "my-state", force_destroy: false });
  expect(only(tf, "aws_s3_bucket_versioning").body).toMatchObject({ versioning_configuration: { status: "Enabled" } });
  expect(tf.terraform.backend).toEqual({ local: { path: join(process.cwd(), "terraform.state-backend.tfstate") } });
  expect(tf.provider?.aws[0]).toMatchObject({ region: "eu-west-1" });
  expect(tf.output?.state_bucket.value).toMatch(/^\$\{aws_s3_bucket\..*\.bucket\}$/);
});

test("without a configured name it generates one, suffixed like the lab", () => {
  const { tf } = synthStateBackend({ LAB_NAME_SUFFIX: "dev" });
  expect(only(tf, "aws_s3_bucket").body).toMatchObject({ bucket_prefix: "lab-tfstate-dev-" });
  // Each deployment keeps its own local state file.
  expect(tf.terraform.backend).toEqual({ local: { path: join(process.cwd(), "terraform.state-backend-dev.tfstate") } });
  expect(tf.provider?.aws[0]).toMatchObject({ region: "us-east-1" });
});

test("LAB_STATE_BACKEND_IN_BUCKET moves its own state into the bucket", () => {
  const { tf } = synthStateBackend({ LAB_STATE_BUCKET: "my-state", LAB_STATE_BACKEND_IN_BUCKET: "true" });
  expect(tf.terraform.backend).toEqual({
    s3: {
      bucket: "my-state",
      key: "vpc-flow-logs-lab/default/state-backend.tfstate",
      region: "us-east-1",
      encrypt: true,
      use_lockfile: true,
    },
  });
});

test("emulator mode leaves out the state bucket's TLS-only policy (moto ignores its condition)", () => {
  expect(
    Object.keys(
      resources(synthStateBackend({ LAB_AWS_ENDPOINT: "https://127.0.0.1:4566" }).tf, "aws_s3_bucket_policy"),
    ),
  ).toHaveLength(0);
  expect(Object.keys(resources(synthStateBackend({}).tf, "aws_s3_bucket_policy"))).toHaveLength(1);
});
