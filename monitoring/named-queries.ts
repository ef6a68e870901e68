/**
 * The Athena named queries of the lab, written once as SQL templates over the flow-log table.
 * The FlowLogAthena construct deploys them (Athena/Trino SQL); `flowlogs query` runs the same text
 * on DuckDB. `{{table}}` is the table's qualified name; `{{param}}` placeholders take checked values.
 */

export type QueryParamKind = "ip-address";

export interface QueryParam {
  readonly name: string;
  readonly description: string;
  readonly kind: QueryParamKind;
}

export interface NamedQueryDefinition {
  /** CLI name (`flowlogs query <id>`). */
  readonly id: string;
  /** Athena named-query name, in the style of the VPC console's Athena integration. */
  readonly name: string;
  readonly description: string;
  readonly params: readonly QueryParam[];
  /**
   * Columns the query reads beyond the default format's (the extended format's, or `hour`): it is
   * deployed only to a table that has them, and `flowlogs query` names the field a file lacks.
   */
  readonly columns?: readonly string[];
  readonly sql: string;
}

const SOURCE: QueryParam = {
  name: "source",
  description: "source IP address (e.g. the instance's private IP)",
  kind: "ip-address",
};
const DESTINATION: QueryParam = { name: "destination", description: "destination IP address", kind: "ip-address" };

// The columns of the walkthrough's queries 4a and 4b.
const WALKTHROUGH_COLUMNS = `CONCAT(year, '-', month, '-', day) AS "date", eni, source, destination, starttime, endtime, action, protocol`;

export const NAMED_QUERIES: readonly NamedQueryDefinition[] = [
  {
    id: "icmp-from-source",
    name: "IcmpFromSource",
    description: "Walkthrough query 4a: ICMP (ping) traffic from one source address, oldest first",
    params: [SOURCE],
    sql: `SELECT ${WALKTHROUGH_COLUMNS}
FROM {{table}}
WHERE source = '{{source}}' AND protocol = 1
ORDER BY starttime`,
  },
  {
    id: "rejected-traffic",
    name: "RejectedTraffic",
    description: "Walkthrough query 4b: all REJECTed traffic, oldest first",
    params: [],
    sql: `SELECT ${WALKTHROUGH_COLUMNS}
FROM {{table}}
WHERE action = 'REJECT'
ORDER BY starttime`,
  },
  {
    id: "accepted-traffic",
    name: "AcceptedTraffic",
    description: "ACCEPTed traffic, newest first (first 100 records)",
    params: [],
    sql: `SELECT ${WALKTHROUGH_COLUMNS}
FROM {{table}}
WHERE action = 'ACCEPT'
ORDER BY starttime DESC, eni, source, destination
LIMIT 100`,
  },
  {
    id: "rejected-tcp-traffic",
    name: "RejectedTCPTraffic",
    description: "REJECTed TCP traffic per source and destination port",
    params: [],
    sql: `SELECT source, destport, COUNT(*) AS records, SUM(packets) AS packets
FROM {{table}}
WHERE action = 'REJECT' AND protocol = 6
GROUP BY source, destport
ORDER BY records DESC, source, destport
LIMIT 100`,
  },
  {
    id: "ssh-rdp-traffic",
    name: "SshRdpTraffic",
    description: "SSH (22) and RDP (3389) traffic, accepted and rejected",
    params: [],
    sql: `SELECT source, destination, destport, action, COUNT(*) AS records, SUM(bytes) AS bytes
FROM {{table}}
WHERE protocol = 6 AND destport IN (22, 3389)
GROUP BY source, destination, destport, action
ORDER BY records DESC, source, destination, destport, action
LIMIT 100`,
  },
  {
    id: "admin-port-traffic",
    name: "AdminPortTraffic",
    description: "Traffic to administrative ports (Telnet 23, SSH 22, RDP 3389, WinRM 5985/5986, VNC 5900)",
    params: [],
    sql: `SELECT destport, action, COUNT(*) AS records, COUNT(DISTINCT source) AS sources
FROM {{table}}
WHERE protocol = 6 AND destport IN (22, 23, 3389, 5900, 5985, 5986)
GROUP BY destport, action
ORDER BY records DESC, destport, action`,
  },
  {
    id: "ipv4-traffic",
    name: "IPv4Traffic",
    description: "Volume of IPv4 traffic per action",
    params: [],
    sql: `SELECT action, COUNT(*) AS records, SUM(packets) AS packets, SUM(bytes) AS bytes
FROM {{table}}
WHERE source LIKE '%.%'
GROUP BY action
ORDER BY action`,
  },
  {
    id: "ipv6-traffic",
    name: "IPv6Traffic",
    description: "Volume of IPv6 traffic per action",
    params: [],
    sql: `SELECT action, COUNT(*) AS records, SUM(packets) AS packets, SUM(bytes) AS bytes
FROM {{table}}
WHERE source LIKE '%:%'
GROUP BY action
ORDER BY action`,
  },
  {
    id: "top-talkers",
    name: "TopTalkers",
    description: "The 10 source/destination pairs that sent the most bytes",
    params: [],
    sql: `SELECT source, destination, SUM(bytes) AS bytes, SUM(packets) AS packets
FROM {{table}}
WHERE flowlogstatus = 'OK'
GROUP BY source, destination
ORDER BY bytes DESC, source, destination
LIMIT 10`,
  },
  {
    id: "top-tcp-traffic",
    name: "TopTCPTraffic",
    description: "The 10 TCP destination ports that carried the most bytes",
    params: [],
    sql: `SELECT destport, SUM(bytes) AS bytes, COUNT(*) AS records
FROM {{table}}
WHERE protocol = 6
GROUP BY destport
ORDER BY bytes DESC, destport
LIMIT 10`,
  },
  {
    id: "total-bytes-transferred",
    name: "TotalBytesTransferred",
    description: "Bytes and packets per day and network interface",
    params: [],
    sql: `SELECT CONCAT(year, '-', month, '-', day) AS "date", eni, SUM(bytes) AS bytes, SUM(packets) AS packets
FROM {{table}}
WHERE flowlogstatus = 'OK'
GROUP BY year, month, day, eni
ORDER BY "date", eni`,
  },
  {
    id: "traffic-from-source",
    name: "TrafficFrmSrcAddr",
    description: "All traffic from one source address, oldest first",
    params: [SOURCE],
    sql: `SELECT ${WALKTHROUGH_COLUMNS}, srcport, destport, bytes
FROM {{table}}
WHERE source = '{{source}}'
ORDER BY starttime`,
  },
  {
    id: "traffic-to-destination",
    name: "TrafficToDstAddr",
    description: "All traffic to one destination address, oldest first",
    params: [DESTINATION],
    sql: `SELECT ${WALKTHROUGH_COLUMNS}, srcport, destport, bytes
FROM {{table}}
WHERE destination = '{{destination}}'
ORDER BY starttime`,
  },
  // Over fields of the extended format (LAB_FLOW_LOG_FORMAT=extended): the console's Athena integration
  // adds its packet-level, instance and subnet queries only when the format has their fields.
  {
    id: "top-talkers-packet-level",
    name: "TopTalkersPacketLevel",
    description:
      "The 10 packet-level source/destination pairs (pkt-srcaddr, pkt-dstaddr: the original addresses behind a NAT gateway or load balancer) that sent the most bytes",
    params: [],
    columns: ["pkt_srcaddr", "pkt_dstaddr"],
    sql: `SELECT pkt_srcaddr, pkt_dstaddr, SUM(bytes) AS bytes, SUM(packets) AS packets
FROM {{table}}
WHERE flowlogstatus = 'OK'
GROUP BY pkt_srcaddr, pkt_dstaddr
ORDER BY bytes DESC, pkt_srcaddr, pkt_dstaddr
LIMIT 10`,
  },
  {
    id: "top-talking-instances",
    name: "TopTalkingInstances",
    description: "The 10 instances whose interfaces carried the most bytes",
    params: [],
    columns: ["instance_id"],
    sql: `SELECT instance_id, SUM(bytes) AS bytes, SUM(packets) AS packets
FROM {{table}}
WHERE instance_id IS NOT NULL AND flowlogstatus = 'OK'
GROUP BY instance_id
ORDER BY bytes DESC, instance_id
LIMIT 10`,
  },
  {
    id: "top-talking-subnets",
    name: "TopTalkingSubnets",
    description: "The 10 subnets whose interfaces carried the most bytes",
    params: [],
    columns: ["subnet_id"],
    sql: `SELECT subnet_id, SUM(bytes) AS bytes, SUM(packets) AS packets
FROM {{table}}
WHERE subnet_id IS NOT NULL AND flowlogstatus = 'OK'
GROUP BY subnet_id
ORDER BY bytes DESC, subnet_id
LIMIT 10`,
  },
  {
    id: "rejected-by-direction",
    name: "RejectedTrafficByDirection",
    description: "REJECTed records per flow direction (ingress, egress) and traffic path, the busiest first",
    params: [],
    columns: ["flow_direction", "traffic_path"],
    sql: `SELECT flow_direction, traffic_path, COUNT(*) AS records, COUNT(DISTINCT source) AS sources, SUM(packets) AS packets
FROM {{table}}
WHERE action = 'REJECT'
GROUP BY flow_direction, traffic_path
ORDER BY records DESC, flow_direction, traffic_path`,
  },
];

/** The queries a table with these columns can run (those that need no column it lacks). */
export function queriesForColumns(
  columns: Iterable<string>,
  queries: readonly NamedQueryDefinition[] = NAMED_QUERIES,
): NamedQueryDefinition[] {
  const has = new Set(columns);
  return queries.filter((q) => (q.columns ?? []).every((c) => has.has(c)));
}

export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueryError";
  }
}

export function findNamedQuery(id: string): NamedQueryDefinition {
  const query = NAMED_QUERIES.find((q) => q.id === id);
  if (!query) {
    throw new QueryError(
      `unknown query ${JSON.stringify(id)}; expected one of: ${NAMED_QUERIES.map((q) => q.id).join(", ")}`,
    );
  }
  return query;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]{2,45}$/;

function checkParam(param: QueryParam, value: string): void {
  // Values are spliced into SQL text: only strict address shapes get through.
  const ok = param.kind === "ip-address" && (IPV4.test(value) || (value.includes(":") && IPV6.test(value)));
  if (!ok) {
    throw new QueryError(
      `parameter ${param.name}: got ${JSON.stringify(value)}, expected an IPv4 or IPv6 address such as 10.0.0.49`,
    );
  }
}

export interface RenderOptions {
  /** Qualified table name, e.g. `lab.vpc_flow_log`. */
  readonly table: string;
  readonly params?: Readonly<Record<string, string>>;
  /** Values this returns true for (deploy-time tokens such as an instance's IP) are not checked. */
  readonly isDeferred?: (value: string) => boolean;
}

/** Fills in a query's placeholders; every parameter must be given and well-formed. */
export function renderQuery(query: NamedQueryDefinition, options: RenderOptions): string {
  const params = options.params ?? {};
  const known = new Set(query.params.map((p) => p.name));
  const unknown = Object.keys(params).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new QueryError(
      `query ${query.id} takes ${known.size ? [...known].join(", ") : "no parameters"}; unknown parameter ${unknown.join(", ")}`,
    );
  }
  let sql = query.sql.replaceAll("{{table}}", options.table);
  for (const param of query.params) {
    const value = params[param.name];
    if (value === undefined) {
      throw new QueryError(
        `query ${query.id} needs parameter ${param.name} (${param.description}): pass --param ${param.name}=<value>`,
      );
    }
    if (!options.isDeferred?.(value)) checkParam(param, value);
    sql = sql.replaceAll(`{{${param.name}}}`, value);
  }
  return sql;
}
