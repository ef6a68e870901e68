/**
 * Seeded fuzzing of the read path: random malformed lines and files added to a folder of good logs.
 * The property: whatever is added, the run ends (exit 0 or a one-line user error) and the answer for
 * the good records does not change; each added bad line is counted as rejected, never as used.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { runQueryOnLogs } from "../../engine/commands/query-command";
import { seededRandom } from "../../engine/generate/prng";
import { generateLogs } from "../../engine/generate/write-generated-logs";
import { quiet } from "./quiet-io";

const SQL =
  "SELECT action, protocol, count(*) AS n, sum(bytes) AS b, count(DISTINCT source) AS s FROM vpc_flow_log GROUP BY ALL ORDER BY ALL";
const ROUNDS = 30;

let base: string;
let work: string;
let expected: unknown;
let goodRecords: number;
const random = seededRandom(20261128);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const int = (n: number) => Math.floor(random() * n);

/** A real record from the logs, as the base of a mutation. */
let samples: string[];

/** Lines that are never a record, whatever the draw: each breaks a rule a record obeys. */
const BAD_LINES: readonly ((line: string) => string)[] = [
  (l) => l.slice(0, int(l.lastIndexOf(" ")) + 1), // cut short: too few fields (or a trailing space)
  (l) => `${l} ${l.split(" ")[int(14)]}`, // one field too many
  (l) => l.split(" ").slice(0, 13).join(" "), // one field too few
  (l) => l.replace(" ", "  "), // an empty field
  (l) => l.slice(0, int(l.length)) + "\r" + l.slice(int(l.length) + 1), // a stray CR inside
  (l) => l.slice(0, int(l.length)) + "\0" + l.slice(int(l.length)), // a NUL
  (l) => l + "\xe9", // a byte outside ASCII
  (l) =>
    l
      .split(" ")
      .map((f, i) => (i === 5 ? `x${f}` : f))
      .join(" "), // a port that is no number
  () => Array.from({ length: 1000 + int(40_000) }, () => String(int(10))).join(" "), // very many fields
  () => "a ".repeat(5000 + int(600_000)), // one long line of short fields
  () => Array.from({ length: 1 + int(200) }, () => String.fromCharCode(128 + int(128))).join(""), // binary noise
];

/** Whole files that hold no record. */
const BAD_FILES: readonly (() => [string, Buffer])[] = [
  () => ["noise.log", Buffer.from(Array.from({ length: 1 + int(20_000) }, () => int(256)))],
  () => ["noise.log.gz", gzipSync(Buffer.from(Array.from({ length: 1 + int(20_000) }, () => int(256))))],
  () => ["html.log.gz", gzipSync("<html>\r\n<body>Access Denied</body>\r\n</html>")],
  () => ["fake.log.gz", Buffer.from("\x1f\x8b not really gzip")],
  () => ["empty.log", Buffer.alloc(0)],
  () => ["blank.log", Buffer.from("\n\r\n  \n")],
];

/** The generated (good) gzip files: the bad files are added beside AWSLogs/, not in it. */
function gzFiles(dir: string): string[] {
  return (readdirSync(join(dir, "AWSLogs"), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".log.gz"))
    .map((f) => join(dir, "AWSLogs", f));
}

/** Inserts `count` bad lines at random places in a random gzip file (after its header); returns how many. */
function addBadLines(dir: string, count: number): number {
  const file = pick(gzFiles(dir));
  const lines = gunzipSync(readFileSync(file)).toString("latin1").split("\n");
  for (let i = 0; i < count; i++) lines.splice(1 + int(lines.length - 1), 0, pick(BAD_LINES)(pick(samples)));
  writeFileSync(file, gzipSync(Buffer.from(lines.join("\n"), "latin1")));
  return count;
}

/** Rewrites a random gzip file with CRLF endings: the same records. */
function crlf(dir: string): void {
  const file = pick(gzFiles(dir));
  writeFileSync(file, gzipSync(gunzipSync(readFileSync(file)).toString("latin1").replace(/\r?\n/g, "\r\n")));
}

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), "flowlogs-fuzz-"));
  base = join(root, "base");
  work = join(root, "work");
  await generateLogs({ records: 1500, outDir: base, seed: 3, recordsPerMinute: 25, minutesPerFile: 10 });
  samples = gunzipSync(readFileSync(gzFiles(base)[0]))
    .toString("latin1")
    .split("\n")
    .slice(1, 40)
    .filter(Boolean);
  const io = quiet();
  expected = (await runQueryOnLogs({ logs: [base], sql: SQL }, io)).rows;
  goodRecords = 1500;
  expect(io.errors).toMatch(/1500 lines read, 1500 records used, 0 rejected/);
});
afterAll(() => rmSync(join(base, ".."), { recursive: true, force: true }));

test.each(Array.from({ length: ROUNDS }, (_, i) => i))(
  "round %i: bad lines and files added, the good records' answer unchanged",
  async () => {
    rmSync(work, { recursive: true, force: true });
    cpSync(base, work, { recursive: true });
    let badLines = 0;
    let badFiles = 0;
    for (let m = 1 + int(4); m > 0; m--) {
      const kind = int(3);
      if (kind === 0) badLines += addBadLines(work, 1 + int(5));
      else if (kind === 1) {
        const [name, body] = pick(BAD_FILES)();
        writeFileSync(join(work, `${badFiles++}-${name}`), body);
      } else crlf(work);
    }
    const io = quiet();
    const { rows } = await runQueryOnLogs({ logs: [work], sql: SQL }, io);
    expect(rows).toEqual(expected);
    const summary = /(\d+) lines read, (\d+) records used, (\d+) rejected\n$/.exec(io.errors);
    expect(summary).not.toBeNull();
    const [read, used, rejected] = summary!.slice(1).map(Number);
    expect(used).toBe(goodRecords);
    expect(read).toBe(used + rejected);
    expect(rejected).toBeGreaterThanOrEqual(badLines);
  },
  20_000,
);
