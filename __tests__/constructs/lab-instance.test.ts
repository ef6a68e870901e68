import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { amiParameter, LabInstance } from "../../constructs/lab-instance";
import { dataRef, only, parse, policyOf, ref, resources, synthConstruct } from "../helpers";

describe("LabInstance with defaults", () => {
  const json = synthConstruct(
    (scope) => new LabInstance(scope, "i", { subnetId: "subnet-1", securityGroupIds: ["sg-1"] }),
  );
  const tf = parse(json);
  const instance = only(tf, "aws_instance").body;

  test("t2.micro in the subnet with a public IP and no key pair", () => {
    expect(json).toHaveResourceWithProperties(Instance, {
      instance_type: "t2.micro",
      subnet_id: "subnet-1",
      vpc_security_group_ids: ["sg-1"],
      associate_public_ip_address: true,
      tags: { Name: "Lab-VPC-Flow-Log-Instance" },
    });
    expect(instance).not.toHaveProperty("key_name");
  });

  test("Amazon Linux 2023 from the public SSM parameter", () => {
    expect(json).toHaveDataSourceWithProperties(DataAwsSsmParameter, {
      name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    });
    expect(instance.ami).toMatch(/^\$\{data\.aws_ssm_parameter\..*\.insecure_value\}$/);
  });

  test("IMDSv2 required and an encrypted root volume", () => {
    expect(instance.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
    });
    expect(instance.root_block_device).toEqual({
      encrypted: true,
      volume_type: "gp3",
      volume_size: 8,
      delete_on_termination: true,
    });
  });

  test("an instance profile whose role lets Session Manager in, and nothing else", () => {
    const role = only(tf, "aws_iam_role").body;
    expect(role.name).toBe("Lab-VPC-Flow-Log-Instance-Role");
    expect(JSON.parse(role.assume_role_policy as string).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    // Its own inline policy: the agent's registration and the session channels, no managed policy's reads.
    expect(resources(tf, "aws_iam_role_policy_attachment")).toEqual({});
    const inline = only(tf, "aws_iam_role_policy").body;
    expect(inline.role).toBe(ref(tf, "aws_iam_role", "name"));
    expect(policyOf(inline).Statement).toEqual([
      {
        Sid: "SessionManagerRegister",
        Effect: "Allow",
        Action: "ssm:UpdateInstanceInformation",
        Resource: `arn:${dataRef(tf, "aws_partition", "partition")}:ec2:${dataRef(tf, "aws_region", "region")}:${dataRef(tf, "aws_caller_identity", "account_id")}:instance/*`,
      },
      {
        Sid: "SessionManagerChannels",
        Effect: "Allow",
        Action: [
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
        ],
        Resource: "*",
      },
    ]);
    expect(role).not.toHaveProperty("permissions_boundary");
    expect(only(tf, "aws_iam_instance_profile").body).toMatchObject({ role: ref(tf, "aws_iam_role", "name") });
    expect(instance.iam_instance_profile).toBe(ref(tf, "aws_iam_instance_profile", "name"));
  });

  test("a newer AMI does not replace the running instance", () => {
    expect(instance.lifecycle).toEqual({ ignore_changes: ["ami"] });
  });
});

test.each([
  ["al2023", "x86_64", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"],
  ["al2023", "arm64", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"],
  ["al2", "x86_64", "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2"],
  ["al2", "arm64", "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-arm64-gp2"],
] as const)("%s on %s resolves %s", (os, architecture, parameter) => {
  expect(amiParameter(os, architecture)).toBe(parameter);
  const json = synthConstruct(
    (scope) =>
      new LabInstance(scope, "i", {
        subnetId: "s",
        securityGroupIds: [],
        os,
        architecture,
        instanceType: "t4g.nano",
        name: "n",
      }),
  );
  expect(json).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: parameter });
  expect(json).toHaveResourceWithProperties(Instance, { instance_type: "t4g.nano", tags: { Name: "n" } });
});

test("Session Manager access can be left out", () => {
  const tf = parse(
    synthConstruct(
      (scope) => new LabInstance(scope, "i", { subnetId: "s", securityGroupIds: [], sessionManager: false }),
    ),
  );
  expect(resources(tf, "aws_iam_role_policy")).toEqual({});
  expect(only(tf, "aws_iam_instance_profile")).toBeDefined();
});

test("a permissions boundary and role name can be given", () => {
  const tf = parse(
    synthConstruct(
      (scope) =>
        new LabInstance(scope, "i", {
          subnetId: "s",
          securityGroupIds: [],
          roleName: "r",
          permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/b",
        }),
    ),
  );
  expect(only(tf, "aws_iam_role").body).toMatchObject({
    name: "r",
    permissions_boundary: "arn:aws:iam::123456789012:policy/b",
  });
  expect(only(tf, "aws_iam_instance_profile").body.name).toBe("r");
});
