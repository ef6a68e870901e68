import { cidrContains, formatIpv4, parseIpv4, parseIpv4Cidr, type Ipv4Cidr } from "../../config/cidr";
import { checkInstanceType, isArmInstanceType, parseBoolean } from "../../config/validators";

const block = (text: string) => parseIpv4Cidr(text) as Ipv4Cidr;

test("IPv4 addresses round-trip", () => {
  expect(formatIpv4(parseIpv4("10.0.0.49")!)).toBe("10.0.0.49");
  expect(parseIpv4("10.0.0")).toBeUndefined();
  expect(parseIpv4("10.0.0.01")).toBeUndefined();
});

test("CIDR containment", () => {
  expect(cidrContains(block("10.0.0.0/24"), block("10.0.0.0/26"))).toBe(true);
  expect(cidrContains(block("10.0.0.0/24"), block("10.0.0.192/26"))).toBe(true);
  expect(cidrContains(block("10.0.0.0/24"), block("10.0.1.0/26"))).toBe(false);
  expect(cidrContains(block("10.0.0.0/24"), block("10.0.0.0/23"))).toBe(false);
  expect(cidrContains(block("0.0.0.0/0"), block("255.255.255.255/32"))).toBe(true);
});

test.each([
  ["t2.micro", false],
  ["t4g.micro", true],
  ["m7g.large", true],
  ["c6gn.16xlarge", true],
  ["a1.medium", true],
  ["g4dn.xlarge", false],
  ["g5g.xlarge", true],
  ["m7i-flex.large", false],
  ["t3a.nano", false],
])("%s is arm64: %p", (type, arm) => {
  expect(checkInstanceType(type)).toBeUndefined();
  expect(isArmInstanceType(type)).toBe(arm);
});

test.each([
  ["true", true],
  ["Yes", true],
  ["1", true],
  ["off", false],
  ["0", false],
  ["nope", undefined],
])("boolean %s -> %p", (text, value) => {
  expect(parseBoolean(text)).toBe(value);
});
