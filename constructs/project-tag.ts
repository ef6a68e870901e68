/** Value of the `Project` tag that the stacks' AWS provider puts on every resource (default_tags). */
export const PROJECT_TAG = "vpc-flow-logs-lab";
