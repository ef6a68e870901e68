"use strict";
/**
 * Posts the Terraform plan of one stack as a pull-request comment, or updates the comment it posted before.
 *
 * Called by actions/github-script in .github/workflows/plan-comment.yml, which runs on `workflow_run` after
 * plan.yml with the default branch's code, so the pull request's code never holds a token that can write:
 *   const { runForWorkflowRun } = require("./.github/scripts/plan-comment.cjs");
 *   await runForWorkflowRun({ github, context, core, env: process.env });
 * The plans arrive as plan.yml's artifacts (plan-<stack>/{plan.txt,plan.log,outcome}): read as text only.
 *
 * The comment is found again by a hidden marker, <!-- plan:<stack> -->, so each stack keeps one comment that is
 * edited in place on every push. Long plans are cut well under GitHub's 65,536-character limit, with a link to the
 * job log and the name of the artifact that holds the whole plan.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file, loaded with require() by github-script */
const fs = require("node:fs");
const path = require("node:path");
/* eslint-enable @typescript-eslint/no-require-imports */

/** Whole comment body, marker and headings included, stays at or under this many characters. */
const MAX_BODY_CHARS = 60000;

function marker(stack) {
  return `<!-- plan:${stack} -->`;
}

/** A code fence longer than any run of backticks in the text, so the text cannot close it early. */
function fenceFor(text) {
  const runs = text.match(/`+/g) || [];
  const longest = runs.reduce((max, run) => Math.max(max, run.length), 0);
  return "`".repeat(Math.max(3, longest + 1));
}

/**
 * Cuts text to at most maxChars characters at a line boundary. keep "head" keeps the beginning (a plan reads top
 * down), "tail" keeps the end (an error is at the end of the log). Returns the text and whether it was cut.
 */
function truncate(text, maxChars, keep = "head") {
  if (text.length <= maxChars) return { text, truncated: false };
  if (maxChars <= 0) return { text: "", truncated: true };
  if (keep === "tail") {
    let cut = text.slice(text.length - maxChars);
    const newline = cut.indexOf("\n");
    if (newline >= 0 && newline < cut.length - 1) cut = cut.slice(newline + 1);
    return { text: cut, truncated: true };
  }
  let cut = text.slice(0, maxChars);
  const newline = cut.lastIndexOf("\n");
  if (newline > 0) cut = cut.slice(0, newline);
  return { text: cut, truncated: true };
}

/** "Plan: 1 to add, 0 to change, 0 to destroy." / "No changes." from `terraform show` text, if present. */
function summarize(planText) {
  const plan = planText.match(/^Plan: \d+ to add, \d+ to change, \d+ to destroy\./m);
  if (plan) return plan[0];
  if (/^No changes\./m.test(planText)) return "No changes.";
  if (/^Changes to Outputs:/m.test(planText)) return "Changes to outputs only.";
  return undefined;
}

/**
 * The comment text. outcome: "success" (plan ran), "failure" (init or plan failed), anything else (the plan step
 * did not run, e.g. synth failed).
 */
function buildBody({ stack, outcome, planText = "", logText = "", runUrl, sha, artifactName, maxChars }) {
  const limit = maxChars ?? MAX_BODY_CHARS;
  const shortSha = sha ? sha.slice(0, 7) : "unknown";
  const links = `Commit \`${shortSha}\` · [job log](${runUrl})`;
  const head = [marker(stack)];
  let text;
  let keep;
  let open;
  if (outcome === "success") {
    const summary = summarize(planText) || "Plan finished.";
    head.push(`### Terraform plan: \`${stack}\` ✅ ${summary}`, "", `${links} · artifact \`${artifactName}\``);
    text = planText;
    keep = "head";
    open = false;
  } else if (outcome === "failure") {
    head.push(
      `### Terraform plan: \`${stack}\` ❌ failed`,
      "",
      `${links}. \`terraform init\` or \`terraform plan\` failed; the end of its output:`,
    );
    text = logText || "(no output captured)";
    keep = "tail";
    open = true;
  } else {
    head.push(
      `### Terraform plan: \`${stack}\` ⚠️ not run`,
      "",
      `${links}. An earlier step failed (install, synth or credentials), so there is no plan; see the job log.`,
    );
    return head.join("\n");
  }

  const note = (shown, total) =>
    `\n\n**Truncated:** ${shown.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} characters shown. ` +
    `The whole ${outcome === "success" ? "plan" : "output"} is in the [job log](${runUrl})` +
    (outcome === "success" ? ` and in the artifact \`${artifactName}\`.` : ".");
  const fence = fenceFor(text);
  const summaryLine = outcome === "success" ? "Show plan" : "Output";
  const wrap = (body, extra) =>
    [
      head.join("\n"),
      "",
      `<details${open ? " open" : ""}><summary>${summaryLine}</summary>`,
      "",
      fence + "text",
      body,
      fence,
      "</details>",
    ].join("\n") + extra;

  const whole = wrap(text, "");
  if (whole.length <= limit) return whole;
  // Room left for the text once everything around it (and the longest possible note) is counted.
  const room = limit - wrap("", note(text.length, text.length)).length;
  const cut = truncate(text, room, keep);
  return wrap(cut.text, note(cut.text.length, text.length));
}

/** The comment this workflow posted before for the stack: the marker, written by a bot. */
async function findComment(github, { owner, repo, issueNumber, stack }) {
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const tag = marker(stack);
  return comments.find((c) => c.user && c.user.type === "Bot" && typeof c.body === "string" && c.body.startsWith(tag));
}

/** Updates the stack's comment if there is one, creates it otherwise. Returns "updated" or "created". */
async function upsertComment(github, { owner, repo, issueNumber, stack, body }) {
  const existing = await findComment(github, { owner, repo, issueNumber, stack });
  if (existing) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: "updated", id: existing.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { action: "created", id: created && created.data ? created.data.id : undefined };
}

function readIfExists(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if (error && error.code === "ENOENT") return "";
    throw error;
  }
}

/** The stacks plan.yml plans, in the order their comments are posted (main.ts names them). */
const STACKS = ["state-backend", "lab"];

/** What plan.yml's plan step left in an artifact folder: success, failure, or nothing (the step never ran). */
function outcomeIn(dir) {
  const text = readIfExists(path.join(dir, "outcome")).trim();
  return text === "success" || text === "failure" ? text : "not run";
}

/**
 * Entry point for plan-comment.yml (workflow_run): one comment per stack on the run's pull request.
 * Reads from env: PLANS_DIR (the downloaded artifacts, one folder plan-<stack> each).
 */
async function runForWorkflowRun({ github, context, core, env = process.env }) {
  const workflowRun = context.payload.workflow_run;
  if (!workflowRun) throw new Error("not a workflow_run event");
  const pullRequest = (workflowRun.pull_requests || [])[0];
  if (!pullRequest) {
    if (core) core.info("The run belongs to no pull request of this repository: nothing to comment.");
    return [];
  }
  const { owner, repo } = context.repo;
  const actions = [];
  for (const stack of STACKS) {
    const dir = path.join(env.PLANS_DIR || "plans", `plan-${stack}`);
    const body = buildBody({
      stack,
      outcome: outcomeIn(dir),
      planText: readIfExists(path.join(dir, "plan.txt")),
      logText: readIfExists(path.join(dir, "plan.log")),
      runUrl: workflowRun.html_url,
      sha: workflowRun.head_sha,
      artifactName: `plan-${stack}`,
    });
    const result = await upsertComment(github, { owner, repo, issueNumber: pullRequest.number, stack, body });
    if (core) core.info(`Plan comment for ${stack} ${result.action} (${body.length} characters).`);
    actions.push(result.action);
  }
  return actions;
}

module.exports = {
  STACKS,
  outcomeIn,
  runForWorkflowRun,
  MAX_BODY_CHARS,
  marker,
  fenceFor,
  truncate,
  summarize,
  buildBody,
  findComment,
  upsertComment,
};
