import { EXTENDED_FIELDS, formatVersion, KNOWN_FIELDS } from "../../monitoring/flow-log-fields";

/** Where the generated records come from: one VPC in one zone of a region. */
export interface ExtendedContext {
  readonly vpcId: string;
  readonly region: string;
}

const DIRECTION: Record<string, string> = {
  east: "e",
  west: "w",
  north: "n",
  south: "s",
  central: "c",
  northeast: "ne",
  southeast: "se",
  northwest: "nw",
  southwest: "sw",
};

/** The first zone's id in a region, as AWS names zone ids (us-east-1: use1-az1, ap-southeast-2: apse2-az1). */
export function firstZoneId(region: string): string {
  const [area, direction, number] = region.split("-");
  return `${area}${DIRECTION[direction] ?? direction}${number}-az1`;
}

/** An extended record's version: the highest of its fields' (AWS), 5. */
const EXTENDED_VERSION = String(formatVersion(KNOWN_FIELDS));

/** The generators' VPC addresses: 10.0.0.0/8 and the IPv6 block 2600:1f18:abcd::/48. */
function isLocal(address: string): boolean {
  return address.startsWith("10.") || address.startsWith("2600:1f18:abcd:");
}

/** TCP flags of an aggregated record (AWS ORs them): a rejected SYN (2), or SYN, ACK, FIN (19). */
const SYN = 2;
const SYN_ACK_FIN = 19;
/** traffic-path 8: the traffic left through an internet gateway. */
const THROUGH_INTERNET_GATEWAY = 8;

/**
 * A default-format record with the extended format's fields appended, each derived from the record
 * (so the default fields, and every detection's answer, stay the same): the interface's subnet and
 * instance, the version (5: the highest of the format's fields), the address type, the packet-level addresses (no NAT in between), the direction from the
 * interface's side, and the egress path (out through the internet gateway). NODATA and SKIPDATA records carry the ids and `-` elsewhere.
 */
export function extendRecord(line: string, context: ExtendedContext): string {
  const [, , eni, src, dst, , , protocol, , , , , action] = line.split(" ");
  const id = eni.slice(-4);
  const base = {
    "vpc-id": context.vpcId,
    "subnet-id": `subnet-0a1b2c3d4e5f6${id}`,
    "instance-id": `i-0a1b2c3d4e5f60${id}`,
    region: context.region,
    "az-id": firstZoneId(context.region),
  };
  const traffic: Record<string, string> =
    action === "-"
      ? {}
      : {
          "tcp-flags": protocol === "6" ? String(action === "REJECT" ? SYN : SYN_ACK_FIN) : "0",
          type: src.includes(":") ? "IPv6" : "IPv4",
          "pkt-srcaddr": src,
          "pkt-dstaddr": dst,
          "flow-direction": isLocal(dst) ? "ingress" : "egress",
          // Only egress records say which way the traffic left.
          ...(isLocal(dst) ? {} : { "traffic-path": String(THROUGH_INTERNET_GATEWAY) }),
        };
  const values: Record<string, string> = { ...base, ...traffic };
  // The version field first: the highest version among the format's fields.
  const rest = line.slice(line.indexOf(" "));
  return `${EXTENDED_VERSION}${rest} ${EXTENDED_FIELDS.map((f) => values[f.field] ?? "-").join(" ")}`;
}
