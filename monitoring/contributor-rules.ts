/**
 * Contributor Insights rules on the flow-log group, after AWS's own examples for VPC flow logs
 * (ContributorInsights-Rule-Examples): who sends the most bytes to whom, and which interface and
 * source have the most rejected TCP records. Field positions come from FLOW_LOG_FIELDS, the format
 * the lab's flow log writes; the offline counterparts are the named queries `top-talkers` and
 * `rejected-tcp-traffic` (`flowlogs query`).
 */
import { fieldIndex, FLOW_LOG_FIELDS, PROTOCOL } from "./flow-log-fields";

export const CONTRIBUTOR_RULE_NAMES = {
  topTalkers: "Lab-VPC-Flow-Log-Top-Talkers",
  rejectedTcp: "Lab-VPC-Flow-Log-Rejected-TCP",
} as const;

type Field = "interface-id" | "srcaddr" | "dstaddr" | "srcport" | "dstport" | "protocol" | "bytes" | "action";

/** `{"4": "srcaddr", ...}`: CLF positions (1-based) of the fields a rule reads. */
function fields(names: readonly Field[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [String(fieldIndex(FLOW_LOG_FIELDS, name) + 1), name]));
}

export interface ContributorRule {
  readonly name: string;
  /** The rule's JSON (CloudWatchLogRule schema), for one log group. */
  definition(logGroupName: string): string;
}

/** A rule on the flow-log group's records (CLF: fields by position) that names the fields it reads. */
export function contributorRule(name: string, names: readonly Field[], body: object): ContributorRule {
  return {
    name,
    definition: (logGroupName) =>
      JSON.stringify({
        Schema: { Name: "CloudWatchLogRule", Version: 1 },
        LogGroupNames: [logGroupName],
        LogFormat: "CLF",
        Fields: fields(names),
        ...body,
      }),
  };
}

/** Bytes by source and destination (AWS: "Byte transfers by source and destination IP address"). */
export const TOP_TALKERS_RULE = contributorRule(CONTRIBUTOR_RULE_NAMES.topTalkers, ["srcaddr", "dstaddr", "bytes"], {
  Contribution: { Keys: ["srcaddr", "dstaddr"], ValueOf: "bytes", Filters: [] },
  AggregateOn: "Sum",
});

/** Rejected TCP records by interface and source (AWS: "Rejected TCP connections"), counted. */
export const REJECTED_TCP_RULE = contributorRule(
  CONTRIBUTOR_RULE_NAMES.rejectedTcp,
  ["interface-id", "srcaddr", "protocol", "action"],
  {
    Contribution: {
      Keys: ["interface-id", "srcaddr"],
      Filters: [
        { Match: "protocol", EqualTo: PROTOCOL.TCP },
        { Match: "action", In: ["REJECT"] },
      ],
    },
    AggregateOn: "Count",
  },
);
