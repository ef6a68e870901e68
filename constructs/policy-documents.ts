/** IAM policy documents and the statements the lab's constructs share. */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Refuses every request that does not use TLS (Security Hub S3.5). */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** A role's trust policy: who may assume it, and on what conditions. */
export function trustPolicy(
  principal: Record<string, string>,
  condition?: Record<string, Record<string, unknown>>,
  action = "sts:AssumeRole",
): string {
  return policyDocument([{ Effect: "Allow", Principal: principal, Action: action, Condition: condition }]);
}
