import { join } from "node:path";
import { readEvents } from "../engine/commands/test-pattern-command";
import { processIo } from "../engine/commands/io";
import { queryCommand } from "../engine/commands/query-command";
import { replayLogs } from "../engine/commands/replay-command";
import { testMetricFilter } from "../engine/filter-pattern";
import { formatTable, tableOf } from "../engine/output/format-rows";
import { STORY } from "../engine/generate/walkthrough-story";
import { PING_DENY_ALARM, PING_DENY_FILTER } from "../monitoring/ping-deny";

// dist/scripts/demo.js -> the package root.
const root = join(__dirname, "..", "..");
const logs = [join(root, "samples", "walkthrough")];
const say = (text: string) => process.stdout.write(text);

async function main(): Promise<void> {
  say(`== 1. Test pattern (the walkthrough's step 4b): ${PING_DENY_FILTER.pattern}\n`);
  const events = readEvents(join(root, "samples", "walkthrough-test-events.txt"));
  const response = testMetricFilter(PING_DENY_FILTER.pattern, events);
  say(`matched events ${response.matches.map((m) => m.eventNumber).join(" and ")} of ${events.length}:\n`);
  say(JSON.stringify(response.matches[0], null, 2) + "\n");

  say(
    `\n== 2. Replay of the sample logs through metric ${PING_DENY_FILTER.metricName} and alarm ${PING_DENY_ALARM.alarmName}\n`,
  );
  const replay = await replayLogs({ logs }, processIo);
  say(`${replay.datapoints.length} one-minute datapoints; the non-zero ones:\n`);
  const nonZero = replay.datapoints.filter((d) => d.value !== 0);
  say(formatTable(tableOf(["timestamp", "value"], nonZero)));
  say("state transitions (an ALARM transition is when the e-mail would go out):\n");
  say(formatTable(tableOf(["timestamp", "from", "to"], replay.transitions)));

  say(`\n== 3. Walkthrough query 4a: flowlogs query icmp-from-source --param source=${STORY.instanceIp}\n`);
  await queryCommand({ name: "icmp-from-source", params: { source: STORY.instanceIp }, logs }, processIo);
  say("\n== 4. Walkthrough query 4b: flowlogs query rejected-traffic\n");
  await queryCommand({ name: "rejected-traffic", logs }, processIo);
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${(error as Error).stack}\n`);
  process.exitCode = 1;
});
