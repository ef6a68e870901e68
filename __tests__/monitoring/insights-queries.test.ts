/** The saved Logs Insights queries: AWS's samples and one per detection, on the flow-log group. */
import { CloudwatchQueryDefinition } from "@cdktf/provider-aws/lib/cloudwatch-query-definition";
import { parseIpv4Cidr, type Ipv4Cidr } from "../../config/cidr";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import { insightsQueries, topTalkersQuery } from "../../monitoring/insights-queries";
import { ref, resources, synthLab } from "../helpers";

const queries = insightsQueries({
  vpcCidr: parseIpv4Cidr("10.8.0.0/16") as Ipv4Cidr,
  portScanPorts: 35,
  flowLogFormat: "default",
});

describe("the queries", () => {
  // AWS's list ("Supported logs and discovered fields", Amazon VPC flow logs), typed here from the docs.
  const DISCOVERED = [
    "accountId",
    "endTime",
    "interfaceId",
    "logStatus",
    "startTime",
    "version",
    "action",
    "bytes",
  ].concat(["dstAddr", "dstPort", "packets", "protocol", "srcAddr", "srcPort"]);

  it("the flow-log fields' Logs Insights names are the ones AWS documents as discovered", () => {
    expect(FLOW_LOG_FIELDS.map((f) => f.insights).sort()).toEqual([...DISCOVERED].sort());
  });

  it("name only fields Logs Insights discovers in a flow-log group, their aliases and its functions", () => {
    const known = new Set([
      ...DISCOVERED,
      ...["packetsTransferred", "bytesTransferred", "attempts", "rejected", "ports", "window", "t"],
      ...["stats", "sum", "by", "sort", "desc", "limit", "filter", "isIpv4InSubnet", "count", "bin", "as"],
      ...["and", "not", "in", "count_distinct", "m", "h"],
    ]);
    for (const q of queries) {
      const words = q.query.replace(/"[^"]*"/g, "").match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
      expect([q.name, words.filter((w) => !known.has(w))]).toEqual([q.name, []]);
    }
  });

  it("keep the detections' conditions: the VPC block, the SSH/RDP ports, the probe, the threshold", () => {
    const byName = Object.fromEntries(queries.map((q) => [q.name, q.query]));
    expect(byName["Rejected SSH and RDP from outside the VPC"]).toContain(
      'dstPort in [22, 3389] and not isIpv4InSubnet(srcAddr, "10.8.0.0/16")',
    );
    expect(byName["Port scans"]).toContain(
      'action = "REJECT" and srcPort >= 1024 and dstPort <= 32767 and isIpv4InSubnet(dstAddr, "10.8.0.0/16")',
    );
    expect(queries.find((q) => q.name === "Port scans")?.description).toContain("35");
    expect(byName["Skipped flow records per hour"]).toBe(
      'filter logStatus = "SKIPDATA" | stats count(*) by bin(1h) as t | sort t',
    );
    expect(byName["Top talkers"]).toBe(topTalkersQuery(25, "default"));
  });

  it("with the extended format: each query first parses the message into every field, by position, then is the same", () => {
    const extended = insightsQueries({
      vpcCidr: parseIpv4Cidr("10.8.0.0/16") as Ipv4Cidr,
      portScanPorts: 35,
      flowLogFormat: "extended",
    });
    const parse =
      'parse @message "* * * * * * * * * * * * * * * * * * * * * * * * * * * * *" as version, accountId, interfaceId, srcAddr, dstAddr, srcPort, dstPort, protocol, packets, bytes, startTime, endTime, action, logStatus, vpcId, subnetId, instanceId, tcpFlags, type, pktSrcAddr, pktDstAddr, region, azId, sublocationType, sublocationId, pktSrcAwsService, pktDstAwsService, flowDirection, trafficPath | ';
    expect(extended.map((q) => q.query)).toEqual(queries.map((q) => parse + q.query));
    expect(topTalkersQuery(10, "extended")).toBe(parse + topTalkersQuery(10, "default"));
  });

  it("have names the console takes: unique, no colon or asterisk", () => {
    expect(new Set(queries.map((q) => q.name)).size).toBe(queries.length);
    for (const q of queries) expect(q.name).toMatch(/^[^:*/]+$/);
  });
});

describe("the lab stack saves them for the flow-log group, in the lab's folder", () => {
  const { json, tf } = synthLab({
    LAB_NAME_SUFFIX: "x",
    LAB_VPC_CIDR: "10.8.0.0/16",
    LAB_SUBNET_CIDR: "10.8.1.0/24",
    LAB_PORT_SCAN_PORTS: "35",
  });
  const saved = Object.values(resources(tf, "aws_cloudwatch_query_definition"));

  it("every query, named <folder>/<name>, on the flow-log group only", () => {
    expect(saved.map((q) => [q.name, q.query_string]).sort()).toEqual(
      queries.map((q) => [`Lab-VPC-Flow-Logs-x/${q.name}`, q.query]).sort(),
    );
    expect(json).toHaveResourceWithProperties(CloudwatchQueryDefinition, {
      name: "Lab-VPC-Flow-Logs-x/Top talkers",
      log_group_names: [ref(tf, "aws_cloudwatch_log_group", "name")],
    });
    for (const q of saved) expect(q.log_group_names).toEqual([ref(tf, "aws_cloudwatch_log_group", "name")]);
  });

  it("the provider's name rule: at most 255 characters, no colon or asterisk, no slash at either end", () => {
    for (const q of saved) expect(String(q.name)).toMatch(/^([^:*/]+\/?)*[^:*/]+$/);
    for (const q of saved) expect(String(q.name).length).toBeLessThanOrEqual(255);
  });
});
