import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { s3LogKey } from "./s3-layout";
import { DEFAULT_HEADER } from "./synthetic-records";

/** The walkthrough's names: its account, the instance's ENI and private IP, its day (2021-05-21). */
export const STORY = {
  account: "609242387670",
  region: "us-east-1",
  eni: "eni-01a7afa7d0e999a73",
  instanceIp: "10.0.0.49",
  sshClient: "18.206.107.25",
  /** First minute of the story, 05:50 UTC. */
  startSeconds: Date.UTC(2021, 4, 21, 5, 50) / 1000,
  /** Pings are ACCEPTed in 05:58-06:01; the NACL deny goes in at 06:10; pings REJECTed in 06:18-06:20. */
  acceptedPingMinutes: [8, 9, 10, 11],
  rejectedPingMinutes: [28, 29, 30],
  minutes: 40,
} as const;

const GOOGLE = ["172.217.9.206", "172.217.12.208"];

/**
 * The walkthrough's story as flow-log records, in start-time order: SSH from the admin's address is
 * accepted throughout; pings to google.com are accepted, then, after the outbound ICMP deny, rejected;
 * the internet's background noise (RDP, SIP scans) is rejected; another ENI reports NODATA.
 */
export function walkthroughRecords(): string[] {
  const lines: string[] = [];
  const { account, eni, instanceIp: me, sshClient } = STORY;
  const record = (start: number, rest: string) =>
    lines.push(`2 ${account} ${eni} ${rest.replace("START END", `${start} ${start + 59}`)}`);
  for (let m = 0; m < STORY.minutes; m++) {
    const t = STORY.startSeconds + m * 60;
    record(t + 2, `${sshClient} ${me} 19653 22 6 ${60 + (m % 7)} ${7000 + m * 13} START END ACCEPT OK`);
    record(t + 2, `${me} ${sshClient} 22 19653 6 ${50 + (m % 5)} ${9700 + m * 11} START END ACCEPT OK`);
    const ping = GOOGLE[m % 2];
    if ((STORY.acceptedPingMinutes as readonly number[]).includes(m)) {
      record(t + 8, `${me} ${ping} 0 0 1 33 2772 START END ACCEPT OK`);
      record(t + 8, `${ping} ${me} 0 0 1 33 2772 START END ACCEPT OK`);
    }
    if ((STORY.rejectedPingMinutes as readonly number[]).includes(m)) {
      record(t + 8, `${me} ${ping} 0 0 1 ${30 + m} ${2520 + m * 84} START END REJECT OK`);
    }
    if (m % 9 === 4) record(t + 30, `45.146.164.${100 + m} ${me} ${40000 + m} 3389 6 1 44 START END REJECT OK`);
    if (m % 13 === 6) record(t + 40, `193.46.255.${20 + m} ${me} 5060 5060 17 1 412 START END REJECT OK`);
    if (m % 10 === 0) lines.push(`2 ${account} eni-0f00000000000beef - - - - - - - ${t} ${t + 60} - NODATA`);
  }
  const startOf = (line: string) => Number(line.split(" ")[10]);
  return lines.sort((a, b) => startOf(a) - startOf(b));
}

/** Writes the story in the S3 layout, one gzip file per 10-minute delivery window; returns the file paths. */
export function writeWalkthroughSamples(root: string): string[] {
  const windows = new Map<number, string[]>();
  for (const line of walkthroughRecords()) {
    const window = Math.floor(Number(line.split(" ")[10]) / 600) * 600;
    windows.set(window, [...(windows.get(window) ?? []), line]);
  }
  return [...windows].map(([window, lines]) => {
    const path = join(root, s3LogKey(STORY.account, STORY.region, "fl-0a1b2c3d4e5f60718", new Date(window * 1000)));
    mkdirSync(dirname(path), { recursive: true });
    // mtime 0 in the gzip header keeps the committed files byte-for-byte reproducible.
    writeFileSync(path, gzipSync([DEFAULT_HEADER, ...lines].join("\n") + "\n"));
    return path;
  });
}
