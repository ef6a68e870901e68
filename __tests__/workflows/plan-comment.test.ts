/**
 * .github/scripts/plan-comment.cjs: the plan comment's text (summary, truncation, failure), finding the previous
 * comment by its marker, and updating it instead of adding a new one, with a fake GitHub client.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LAB_STACK, STATE_BACKEND_STACK } from "../../main";

interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

interface Params {
  owner: string;
  repo: string;
  issue_number?: number;
  comment_id?: number;
  body?: string;
  per_page?: number;
}

interface FakeGithub {
  paginate: (fn: unknown, params: Params) => Promise<Comment[]>;
  rest: {
    issues: {
      listComments: (params: Params) => Promise<{ data: Comment[] }>;
      createComment: (params: Params) => Promise<{ data: Comment }>;
      updateComment: (params: Params) => Promise<{ data: Comment }>;
    };
  };
}

interface BodyInput {
  stack: string;
  outcome: string;
  planText?: string;
  logText?: string;
  runUrl: string;
  sha?: string;
  artifactName?: string;
  maxChars?: number;
}

interface Target {
  owner: string;
  repo: string;
  issueNumber: number;
  stack: string;
}

interface PlanCommentModule {
  MAX_BODY_CHARS: number;
  marker(stack: string): string;
  fenceFor(text: string): string;
  truncate(text: string, maxChars: number, keep?: "head" | "tail"): { text: string; truncated: boolean };
  summarize(planText: string): string | undefined;
  buildBody(input: BodyInput): string;
  findComment(github: FakeGithub, target: Target): Promise<Comment | undefined>;
  upsertComment(github: FakeGithub, target: Target & { body: string }): Promise<{ action: string; id?: number }>;
  STACKS: string[];
  outcomeIn(dir: string): string;
  runForWorkflowRun(args: {
    github: FakeGithub;
    context: unknown;
    core?: { info: (text: string) => void };
    env: Record<string, string | undefined>;
  }): Promise<string[]>;
}

const pc = jest.requireActual<PlanCommentModule>("../../.github/scripts/plan-comment.cjs");

const RUN_URL = "https://github.com/acme/lab/actions/runs/42/attempts/1";
const BOT = { login: "github-actions[bot]", type: "Bot" };
const HUMAN = { login: "alice", type: "User" };

const SMALL_PLAN = [
  "Terraform will perform the following actions:",
  "",
  "  # aws_vpc.lab will be created",
  '  + resource "aws_vpc" "lab" {',
  '      + cidr_block = "10.0.0.0/24"',
  "    }",
  "",
  "Plan: 1 to add, 0 to change, 0 to destroy.",
].join("\n");

/** A fake of the octokit client github-script passes: list (paginated), create and update comments on one PR. */
function fakeGithub(initial: Comment[] = []) {
  const comments = initial.map((c) => ({ ...c }));
  const calls = { list: 0, create: [] as Params[], update: [] as Params[] };
  let nextId = 1000;
  const listComments = async (params: Params) => {
    calls.list += 1;
    expect(params.issue_number).toBe(7);
    return { data: comments.map((c) => ({ ...c })) };
  };
  const github: FakeGithub = {
    paginate: async (fn, params) => {
      expect(fn).toBe(listComments);
      return (await listComments(params)).data;
    },
    rest: {
      issues: {
        listComments,
        createComment: async (params) => {
          calls.create.push(params);
          const comment = { id: nextId++, body: params.body ?? "", user: BOT };
          comments.push(comment);
          return { data: comment };
        },
        updateComment: async (params) => {
          calls.update.push(params);
          const comment = comments.find((c) => c.id === params.comment_id);
          if (!comment) throw new Error(`no comment ${params.comment_id}`);
          comment.body = params.body ?? "";
          return { data: comment };
        },
      },
    },
  };
  return { github, comments, calls };
}

const target = (stack: string): Target => ({ owner: "acme", repo: "lab", issueNumber: 7, stack });

describe("marker and summary", () => {
  it("marks each stack's comment with a hidden HTML comment", () => {
    expect(pc.marker("lab")).toBe("<!-- plan:lab -->");
    expect(pc.marker("state-backend")).toBe("<!-- plan:state-backend -->");
  });

  it("reads the plan's summary line, or no changes", () => {
    expect(pc.summarize(SMALL_PLAN)).toBe("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(pc.summarize("No changes. Your infrastructure matches the configuration.")).toBe("No changes.");
    expect(pc.summarize("Changes to Outputs:\n  + x = 1")).toBe("Changes to outputs only.");
    expect(pc.summarize("something else")).toBeUndefined();
  });
});

describe("truncate", () => {
  const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");

  it("keeps short text whole", () => {
    expect(pc.truncate("abc", 10)).toEqual({ text: "abc", truncated: false });
  });

  it("keeps the head up to a line boundary, within the limit", () => {
    const cut = pc.truncate(text, 50);
    expect(cut.truncated).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(50);
    expect(cut.text.startsWith("line 0\nline 1\n")).toBe(true);
    expect(text.split("\n")).toEqual(expect.arrayContaining(cut.text.split("\n")));
  });

  it("keeps the tail (where errors are) up to a line boundary, within the limit", () => {
    const cut = pc.truncate(text, 50, "tail");
    expect(cut.truncated).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(50);
    expect(cut.text.endsWith("line 99")).toBe(true);
    expect(text.split("\n")).toEqual(expect.arrayContaining(cut.text.split("\n")));
  });
});

describe("buildBody", () => {
  const base = { stack: "lab", runUrl: RUN_URL, sha: "0123456789abcdef", artifactName: "tfplan-lab-pr7" };

  it("a successful plan: marker first, summary in the title, plan in a collapsed block, links", () => {
    const body = pc.buildBody({ ...base, outcome: "success", planText: SMALL_PLAN });
    expect(body.split("\n")[0]).toBe("<!-- plan:lab -->");
    expect(body).toContain("### Terraform plan: `lab` ✅ Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(body).toContain("Commit `0123456` · [job log](" + RUN_URL + ") · artifact `tfplan-lab-pr7`");
    expect(body).toContain("<details><summary>Show plan</summary>");
    expect(body).toContain("```text\n" + SMALL_PLAN + "\n```");
    expect(body).not.toContain("Truncated");
  });

  it("a long plan: cut well under GitHub's 65,536-character limit, with a note, the log link and the artifact", () => {
    const line = '      + tags = { "Name" = "lab-vpc-flow-logs-resource-with-a-long-name" }\n';
    const huge = line.repeat(20000) + "\nPlan: 900 to add, 0 to change, 0 to destroy.";
    expect(huge.length).toBeGreaterThan(1_000_000);
    const body = pc.buildBody({ ...base, outcome: "success", planText: huge });
    expect(body.length).toBeLessThanOrEqual(pc.MAX_BODY_CHARS);
    expect(pc.MAX_BODY_CHARS).toBeLessThan(65536);
    expect(body).toContain("Plan: 900 to add"); // in the title, although cut from the text
    expect(body).toMatch(/\*\*Truncated:\*\* [\d,]+ of [\d,]+ characters shown/);
    expect(body).toContain(`[job log](${RUN_URL}) and in the artifact \`tfplan-lab-pr7\``);
    expect(
      body
        .trimEnd()
        .split("\n")
        .filter((l) => l === "```").length,
    ).toBe(1); // the fence is closed
  });

  it("respects any smaller limit exactly", () => {
    for (const maxChars of [1500, 3000, 10000]) {
      const body = pc.buildBody({ ...base, outcome: "success", planText: "x\n".repeat(20000), maxChars });
      expect(body.length).toBeLessThanOrEqual(maxChars);
      expect(body).toContain("Truncated");
    }
  });

  it("a failed plan: says so, open, with the end of the output", () => {
    const log = "Initializing...\n".repeat(5000) + "Error: AccessDenied: not allowed to s3:GetObject\n";
    const body = pc.buildBody({ ...base, outcome: "failure", logText: log });
    expect(body.split("\n")[0]).toBe("<!-- plan:lab -->");
    expect(body).toContain("### Terraform plan: `lab` ❌ failed");
    expect(body).toContain("<details open><summary>Output</summary>");
    expect(body).toContain("Error: AccessDenied: not allowed to s3:GetObject");
    expect(body.length).toBeLessThanOrEqual(pc.MAX_BODY_CHARS);
  });

  it("a plan step that never ran (synth or credentials failed)", () => {
    const body = pc.buildBody({ ...base, outcome: "skipped" });
    expect(body).toContain("### Terraform plan: `lab` ⚠️ not run");
    expect(body).toContain(RUN_URL);
  });

  it("a plan containing backticks cannot close the code block early", () => {
    const plan = 'user_data = <<-EOT\n```\necho "hi"\n```\nEOT\nPlan: 1 to add, 0 to change, 0 to destroy.';
    expect(pc.fenceFor(plan)).toBe("````");
    const body = pc.buildBody({ ...base, outcome: "success", planText: plan });
    expect(body).toContain("````text\n" + plan + "\n````");
  });
});

describe("findComment", () => {
  it("finds the bot's comment of this stack by its marker, not a person's, not another stack's", async () => {
    const { github } = fakeGithub([
      { id: 1, body: "<!-- plan:lab -->\nquoted by a person", user: HUMAN },
      { id: 2, body: "<!-- plan:state-backend -->\n### Terraform plan", user: BOT },
      { id: 3, body: "looks good", user: HUMAN },
      { id: 4, body: "<!-- plan:lab -->\n### Terraform plan", user: BOT },
    ]);
    expect((await pc.findComment(github, target("lab")))?.id).toBe(4);
    expect((await pc.findComment(github, target("state-backend")))?.id).toBe(2);
    expect(await pc.findComment(github, target("other"))).toBeUndefined();
  });

  it("does not take a stack whose name starts with another's (lab vs lab-x)", async () => {
    const { github } = fakeGithub([{ id: 5, body: "<!-- plan:lab-x -->\n", user: BOT }]);
    expect(await pc.findComment(github, target("lab"))).toBeUndefined();
  });
});

describe("upsertComment", () => {
  it("creates the comment the first time, then updates that same comment", async () => {
    const { github, comments, calls } = fakeGithub([{ id: 1, body: "LGTM", user: HUMAN }]);
    expect(await pc.upsertComment(github, { ...target("lab"), body: "<!-- plan:lab -->\nfirst" })).toEqual({
      action: "created",
      id: 1000,
    });
    expect(await pc.upsertComment(github, { ...target("lab"), body: "<!-- plan:lab -->\nsecond" })).toEqual({
      action: "updated",
      id: 1000,
    });
    expect(calls.create).toHaveLength(1);
    expect(calls.update).toEqual([{ owner: "acme", repo: "lab", comment_id: 1000, body: "<!-- plan:lab -->\nsecond" }]);
    expect(comments.map((c) => c.body)).toEqual(["LGTM", "<!-- plan:lab -->\nsecond"]);
  });

  it("keeps one comment per stack", async () => {
    const { github, comments } = fakeGithub();
    for (const round of [1, 2, 3]) {
      for (const stack of ["state-backend", "lab"]) {
        await pc.upsertComment(github, { ...target(stack), body: `${pc.marker(stack)}\nround ${round}` });
      }
    }
    expect(comments.map((c) => c.body)).toEqual(["<!-- plan:state-backend -->\nround 3", "<!-- plan:lab -->\nround 3"]);
  });
});

describe("runForWorkflowRun (plan-comment.yml's entry point)", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-comment-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const context = (pullRequests: { number: number }[]) => ({
    repo: { owner: "acme", repo: "lab" },
    payload: {
      workflow_run: {
        html_url: "https://github.com/acme/lab/actions/runs/42",
        head_sha: "feedfacecafe",
        pull_requests: pullRequests,
      },
    },
  });
  const artifact = (stack: string, files: Record<string, string>) => {
    fs.mkdirSync(path.join(dir, `plan-${stack}`), { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, `plan-${stack}`, name), text);
  };

  it("posts, then updates, one comment per stack from the artifacts of the run", async () => {
    artifact("lab", { "plan.txt": SMALL_PLAN, outcome: "success\n" });
    artifact("state-backend", { "plan.log": "Error: No valid credential sources found\n", outcome: "failure\n" });
    const { github, comments } = fakeGithub();
    const info: string[] = [];
    const env = { PLANS_DIR: dir };
    expect(
      await pc.runForWorkflowRun({
        github,
        context: context([{ number: 7 }]),
        core: { info: (t) => info.push(t) },
        env,
      }),
    ).toEqual(["created", "created"]);
    expect(await pc.runForWorkflowRun({ github, context: context([{ number: 7 }]), env })).toEqual([
      "updated",
      "updated",
    ]);
    expect(comments).toHaveLength(2);
    const lab = comments.find((c) => c.body.startsWith(pc.marker("lab")))!;
    expect(lab.body).toContain("Commit `feedfac`");
    expect(lab.body).toContain("[job log](https://github.com/acme/lab/actions/runs/42)");
    expect(lab.body).toContain(SMALL_PLAN);
    const backend = comments.find((c) => c.body.startsWith(pc.marker("state-backend")))!;
    expect(backend.body).toContain("`state-backend` ❌ failed");
    expect(backend.body).toContain("Error: No valid credential sources found");
    expect(info[0]).toMatch(/^Plan comment for state-backend created/);
  });

  it("a stack without an artifact (synth failed before the plan) says the plan did not run", async () => {
    const { github, comments } = fakeGithub();
    await pc.runForWorkflowRun({ github, context: context([{ number: 7 }]), env: { PLANS_DIR: dir } });
    expect(comments.map((c) => c.body.split("\n")[1])).toEqual([
      "### Terraform plan: `state-backend` ⚠️ not run",
      "### Terraform plan: `lab` ⚠️ not run",
    ]);
  });

  it("an outcome file with anything else is not trusted as a result", () => {
    artifact("lab", { outcome: "success; rm -rf /\n" });
    expect(pc.outcomeIn(path.join(dir, "plan-lab"))).toBe("not run");
  });

  it("a run of no pull request (a fork, a push) comments nothing; another event is refused", async () => {
    const { github, comments } = fakeGithub();
    expect(await pc.runForWorkflowRun({ github, context: context([]), env: { PLANS_DIR: dir } })).toEqual([]);
    expect(comments).toEqual([]);
    await expect(
      pc.runForWorkflowRun({ github, context: { repo: context([]).repo, payload: {} }, env: {} }),
    ).rejects.toThrow("not a workflow_run event");
  });

  it("comments on the stacks main.ts synthesizes", () => {
    expect(pc.STACKS).toEqual([STATE_BACKEND_STACK, LAB_STACK]);
  });
});
