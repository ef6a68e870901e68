/** The accumulator's bounded pair counts, and patterns that share one split of the line they read. */
import { compilePattern } from "../../engine/filter-pattern";
import { MetricAccumulator, PAIRS_PER_MINUTE } from "../../engine/replay/metric-datapoints";
import { PING_DENY_FILTER } from "../../monitoring/ping-deny";

const ping = (source: string, destination: string) =>
  `2 123456789012 eni-1 ${source} ${destination} 0 0 1 3 252 1714608000 1714608059 REJECT OK`;

test("per minute, the most frequent pairs stay; past the bound, the least frequent one goes", () => {
  const accumulator = new MetricAccumulator(PING_DENY_FILTER, compilePattern(PING_DENY_FILTER.pattern), true);
  // Pair i is seen i + 1 times; a newcomer, seen once, ties with the least frequent: the pairs kept stay.
  for (let i = 0; i < PAIRS_PER_MINUTE; i++)
    for (let n = 0; n <= i; n++) accumulator.addMessage(1714608000, ping(`198.51.100.${i}`, "10.0.0.5"));
  accumulator.addMessage(1714608000, ping("203.0.113.9", "10.0.0.5"));
  let [minute] = accumulator.result();
  expect(minute.pairs!.size).toBe(PAIRS_PER_MINUTE);
  expect(minute.pairs!.get("203.0.113.9 10.0.0.5")).toBeUndefined();
  expect(minute.pairs!.get("198.51.100.0 10.0.0.5")).toBe(1);
  expect(minute.matches).toBe((PAIRS_PER_MINUTE * (PAIRS_PER_MINUTE + 1)) / 2 + 1);
  // Another file's count (a merge) of 5 for a new pair: the least frequent (seen once) gives way.
  accumulator.merge([{ ...minute, events: 0, matches: 0, sum: 0, pairs: new Map([["192.0.2.77 10.0.0.5", 5]]) }]);
  [minute] = accumulator.result();
  expect(minute.pairs!.size).toBe(PAIRS_PER_MINUTE);
  expect(minute.pairs!.get("192.0.2.77 10.0.0.5")).toBe(5);
  expect(minute.pairs!.get("198.51.100.0 10.0.0.5")).toBeUndefined();
  expect(minute.pairs!.get(`198.51.100.${PAIRS_PER_MINUTE - 1} 10.0.0.5`)).toBe(PAIRS_PER_MINUTE);
});

test("patterns that share a split answer as if each split its line itself", () => {
  const a = compilePattern("[v, account, eni, source, destination, srcport, destport=22, ...]");
  const b = compilePattern('[v, account, eni, source, destination=10.0.0.*, srcport, destport, protocol="6", ...]');
  const ssh = "2 123456789012 eni-1 203.0.113.7 10.0.0.5 50000 22 6 3 180 1714608000 1714608059 REJECT OK";
  const web = "2 123456789012 eni-1 203.0.113.7 192.0.2.1 50000 443 6 3 180 1714608000 1714608059 ACCEPT OK";
  for (let round = 0; round < 3; round++) {
    expect([a.matches(ssh), b.matches(web), a.matches(web), b.matches(ssh)]).toEqual([true, false, false, true]);
    expect(a.extract(ssh)?.$source).toBe("203.0.113.7");
    expect(b.extract(web)).toBeNull();
    expect(b.extract(ssh)?.$destination).toBe("10.0.0.5");
  }
});
