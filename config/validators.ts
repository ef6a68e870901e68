/**
 * Checks for single setting values. Each returns undefined when the value is fine,
 * otherwise the text of what was expected (the caller names the setting and the value).
 */
import { parseIpv4 } from "./cidr";

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

export function checkRegion(value: string): string | undefined {
  return REGION.test(value) ? undefined : "an AWS region code such as us-east-1";
}

export function checkAvailabilityZone(value: string, region: string): string | undefined {
  if (!value.startsWith(region) || !/^[a-z]$/.test(value.slice(region.length))) {
    return `an availability zone of region ${region}, i.e. ${region} followed by one letter (such as ${region}a)`;
  }
  return undefined;
}

// Pragmatic address check: one @, a dotted domain, no spaces. SNS confirms the address itself.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function checkEmail(value: string): string | undefined {
  return EMAIL.test(value) ? undefined : "an e-mail address such as ops@example.com";
}

/** S3 general purpose bucket naming rules. */
export function checkBucketName(value: string): string | undefined {
  const rules =
    "a bucket name of 3-63 lowercase letters, digits, dots and hyphens that starts and ends with a letter or digit";
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) return rules;
  if (value.includes("..")) return `${rules}, without two adjacent dots`;
  if (parseIpv4(value) !== undefined) return `${rules}, not formatted as an IP address`;
  for (const prefix of ["xn--", "sthree-", "amzn-s3-demo-"]) {
    if (value.startsWith(prefix)) return `${rules}, not starting with the reserved prefix ${prefix}`;
  }
  for (const suffix of ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]) {
    if (value.endsWith(suffix)) return `${rules}, not ending with the reserved suffix ${suffix}`;
  }
  return undefined;
}

// family[generation][attributes].size, e.g. t2.micro, t4g.small, m7i-flex.large, c6gn.16xlarge, u-6tb1.metal
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|metal(-\d+xl)?|\d*xlarge)$/;

export function checkInstanceType(value: string): string | undefined {
  return INSTANCE_TYPE.test(value) ? undefined : "an EC2 instance type such as t2.micro or t3.small";
}

/** Graviton (arm64) instance families carry a "g" after the generation digit: t4g, m7g, c6gn, a1. */
export function isArmInstanceType(instanceType: string): boolean {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family.replace(/-flex$/, ""));
}

const TRUE_WORDS = ["true", "1", "yes", "on"];
const FALSE_WORDS = ["false", "0", "no", "off"];

export function parseBoolean(value: string): boolean | undefined {
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return undefined;
}

export const BOOLEAN_EXPECTED = `a boolean (${TRUE_WORDS.join("/")} or ${FALSE_WORDS.join("/")})`;

/** CloudWatch Logs accepts only these retention periods; 0 means never expire. */
export const LOG_RETENTION_DAYS = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
