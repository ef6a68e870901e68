import {
  compilePattern,
  PatternSyntaxError,
  testMetricFilter,
  UnsupportedPatternError,
} from "../../engine/filter-pattern";
import { PING_DENY_FILTER } from "../../monitoring/ping-deny";
import { LogLineFields } from "../../engine/filter-pattern/log-line-fields";
import { seededRandom } from "../../engine/generate/prng";

const match = (pattern: string, line: string) => compilePattern(pattern).matches(line);

// The walkthrough's "Test pattern" step: its four custom log events.
const WALKTHROUGH_EVENTS = [
  "2 609242387670 eni01a7afa7d0e999a73 10.0.0.49 172.217.9.206 0 0 1 33 2772 1621577928 1621577987 REJECT OK",
  "2 609242387670 eni01a7afa7d0e999a73 18.206.107.25 10.0.0.49 19653 22 6 70 7047 1621576794 1621576852 ACCEPT OK",
  "2 609242387670 eni01a7afa7d0e999a73 10.0.0.49 18.206.107.25 22 19653 6 57 9761 1621576794 1621576852 ACCEPT OK",
  "2 609242387670 eni01a7afa7d0e999a73 10.0.0.49 172.217.12.208 0 0 1 33 2775 1621577938 1621577998 REJECT OK",
];

// The VPC user guide's example records (design notes).
const DOC_RECORDS = {
  sshAccept:
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
  rdpReject:
    "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK",
  noData: "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
  skipData: "2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA",
  pingReject:
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK",
  ipv6Ssh:
    "2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK",
};

describe("the deployed ping-deny pattern on the walkthrough's test events", () => {
  it("matches events 1 and 4 only, numbered from 1, with every field extracted by name", () => {
    const response = testMetricFilter(PING_DENY_FILTER.pattern, WALKTHROUGH_EVENTS);
    expect(response.matches.map((m) => m.eventNumber)).toEqual([1, 4]);
    expect(response.matches[0]).toEqual({
      eventNumber: 1,
      eventMessage: WALKTHROUGH_EVENTS[0],
      extractedValues: {
        $version: "2",
        $account: "609242387670",
        $eni: "eni01a7afa7d0e999a73",
        $source: "10.0.0.49",
        $destination: "172.217.9.206",
        $srcport: "0",
        $destport: "0",
        $protocol: "1",
        $packets: "33",
        $bytes: "2772",
        $starttime: "1621577928",
        $endtime: "1621577987",
        $action: "REJECT",
        $flowlogstatus: "OK",
      },
    });
  });

  it("matches the documented ping REJECT and nothing else among the VPC guide's records", () => {
    const matched = Object.entries(DOC_RECORDS).filter(([, line]) => match(PING_DENY_FILTER.pattern, line));
    expect(matched.map(([name]) => name)).toEqual(["pingReject"]);
  });
});

describe("the VPC user guide's documented patterns", () => {
  const all = Object.values(DOC_RECORDS);
  const matching = (pattern: string) => all.filter((line) => match(pattern, line));

  it("srcaddr = 10.0.2.* (wildcard) matches none of the examples, and a 172.31.* variant matches the IPv4 ones", () => {
    const fields =
      "[version, accountid, interfaceid, srcaddr = SRC, dstaddr, srcport, dstport, protocol, packets, bytes, start, end, action, logstatus]";
    expect(matching(fields.replace("SRC", "10.0.2.*"))).toEqual([]);
    expect(matching(fields.replace("SRC", "172.31.*"))).toEqual([
      DOC_RECORDS.sshAccept,
      DOC_RECORDS.rdpReject,
      DOC_RECORDS.pingReject,
    ]);
  });

  it("dstport = 80 || dstport = 8080 with bytes >= 400 and action = REJECT", () => {
    const pattern =
      "[version, accountid, interfaceid, srcaddr, dstaddr, srcport, dstport = 80 || dstport = 8080, protocol, packets, bytes >= 400, start, end, action = REJECT, logstatus]";
    expect(matching(pattern)).toEqual([]);
    const web = DOC_RECORDS.rdpReject.replace(" 3389 ", " 8080 ");
    expect(match(pattern, web)).toBe(true);
    expect(match(pattern, web.replace(" 4249 ", " 399 "))).toBe(false);
  });

  it('destport="22", protocol="6", action="REJECT" (quoted values) matches no example; an SSH reject matches', () => {
    const pattern =
      '[version, account, eni, source, destination, srcport, destport="22", protocol="6", packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]';
    expect(matching(pattern)).toEqual([]);
    expect(match(pattern, DOC_RECORDS.sshAccept.replace("ACCEPT", "REJECT"))).toBe(true);
    expect(match(pattern, DOC_RECORDS.ipv6Ssh.replace("ACCEPT", "REJECT"))).toBe(true);
  });
});

describe("space-delimited patterns", () => {
  const apache = [
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534',
    '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /about-us/index.html HTTP/1.0" 200 5324',
    '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 404 4355',
  ];

  it("treats quoted and bracketed text as one field, without its quotes or brackets", () => {
    expect(compilePattern("[ip, identity, user, timestamp, request, status, size]").extract(apache[0])).toEqual({
      $ip: "127.0.0.1",
      $identity: "-",
      $user: "frank",
      $timestamp: "10/Oct/2000:13:25:15 -0700",
      $request: "GET /index.html HTTP/1.0",
      $status: "404",
      $size: "1534",
    });
  });

  it("extracts the fields that ... stands for, and unnamed fields, as $<position> (AWS's documented example)", () => {
    const result = testMetricFilter("[..., request=*.html*, status_code=4*,]", apache);
    expect(result.matches.map((m) => m.eventNumber)).toEqual([1]);
    expect(result.matches[0].extractedValues).toEqual({
      $1: "127.0.0.1",
      $2: "-",
      $3: "frank",
      $4: "10/Oct/2000:13:25:15 -0700",
      $request: "GET /index.html HTTP/1.0",
      $status_code: "404",
      $7: "1534",
    });
    expect(compilePattern("[]").extract("a b")).toEqual({ $1: "a", $2: "b" });
    expect(compilePattern("[ip, ...]").extract("a b c")).toEqual({ $ip: "a", $2: "b", $3: "c" });
  });

  it("requires the exact field count without ..., and at least the named count with it", () => {
    expect(match("[a, b]", "x y")).toBe(true);
    expect(match("[a, b]", "x y z")).toBe(false);
    expect(match("[a, b]", "x")).toBe(false);
    expect(match("[a, ..., b]", "x y")).toBe(true);
    expect(match("[a, ..., b]", "x y z w")).toBe(true);
    expect(match("[a, ..., b]", "x")).toBe(false);
    expect(match("[..., b=z]", "x y z")).toBe(true);
    expect(match("[a=x, ...]", "x y z")).toBe(true);
  });

  it("a pattern without conditions only counts fields, on every kind of line, as the full split would", () => {
    const random = seededRandom(7);
    const pieces = ["a", "bc", " ", "  ", "\t", '"q r"', "[x y]", '"', "[", "]", "-", "10.0.0.1"];
    for (let n = 0; n < 2000; n++) {
      const line = Array.from(
        { length: Math.floor(random() * 12) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join(random() < 0.5 ? " " : "");
      const count = new LogLineFields().split(line).count;
      expect([line, LogLineFields.count(line)]).toEqual([line, count]);
      expect([line, match("[a, b, c]", line)]).toEqual([line, count === 3]);
      expect([line, match("[a, ..., b]", line)]).toEqual([line, count >= 2]);
    }
    expect(compilePattern("[a, b, c]").extract("x  y z")).toEqual({ $a: "x", $b: "y", $c: "z" });
  });

  it("splits on runs of spaces and tabs", () => {
    expect(compilePattern("[a, b, c]").extract("  x \t y   z ")).toEqual({ $a: "x", $b: "y", $c: "z" });
  });

  it.each([
    ["[n = 10]", "10", true],
    ["[n = 10]", "10.0", true],
    ["[n = 10]", "010", true],
    ["[n != 10]", "11", true],
    ["[n != 10]", "10", false],
    ["[n != 10]", "-", false],
    ["[n < 10]", "9", true],
    ["[n < 10]", "10", false],
    ["[n <= 10]", "10", true],
    ["[n > 10]", "10", false],
    ["[n > 10]", "10.5", true],
    ["[n >= 10]", "10", true],
    ["[n >= -1.5]", "-1", true],
    ["[n > 1e3]", "1001", true],
    ["[n > 10]", "abc", false],
    ["[n > 10]", "-", false],
  ])("numeric comparison %s on %s -> %s", (pattern, field, expected) => {
    expect(match(pattern, field)).toBe(expected);
  });

  it.each([
    ["[s = REJECT]", "REJECT", true],
    ["[s = REJECT]", "REJECTED", false],
    ["[s = REJECT]", "reject", false],
    ["[s != REJECT]", "ACCEPT", true],
    ["[s != REJECT]", "REJECT", false],
    ['[s = "1"]', "1", true],
    ['[s = "1"]', "1.0", false],
    ['[s = "a b"]', '"a b"', true],
    ["[s = 10.0.2.*]", "10.0.2.15", true],
    ["[s = 10.0.2.*]", "10.0.3.15", false],
    ["[s = *html]", "index.html", true],
    ["[s = *html*]", "x.html?y", true],
    ["[s = a*c*e]", "abcde", true],
    ["[s = a*c*e]", "abcd", false],
    ["[s != 10.*]", "192.168.0.1", true],
    ["[s = %^eni-[0-9a-f]+$%]", "eni-0abc", true],
    ["[s = %^eni-[0-9a-f]+$%]", "eni-0xyz", false],
    ["[s = %REJ%]", "xREJx", true],
    ["[s != %REJ%]", "ACCEPT", true],
  ])("string comparison %s on %s -> %s", (pattern, field, expected) => {
    expect(match(pattern, field)).toBe(expected);
  });

  it("combines conditions on one field with && and ||, && binding tighter", () => {
    const pattern = "[p = 80 || p >= 8000 && p < 9000]";
    expect(["80", "8080", "8999"].every((p) => match(pattern, p))).toBe(true);
    expect(["81", "9000", "7999"].some((p) => match(pattern, p))).toBe(false);
    expect(match("[w1!=ERROR&&w1!=WARN, w2]", "INFO message")).toBe(true);
    expect(match("[w1!=ERROR&&w1!=WARN, w2]", "WARN message")).toBe(false);
    expect(match("[w1=ERROR || w1=WARN, w2]", "WARN message")).toBe(true);
  });
});

describe("term patterns", () => {
  const events = ["ERROR WARN message", "ERROR message", "WARN message"];
  const matching = (pattern: string) => testMetricFilter(pattern, events).matches.map((m) => m.eventNumber);

  it("follows the documented OR / AND / exclude examples", () => {
    expect(matching("ERROR")).toEqual([1, 2]);
    expect(matching("?ERROR ?WARN")).toEqual([1, 2, 3]);
    expect(matching("ERROR WARN")).toEqual([1]);
    expect(matching("ERROR -WARN")).toEqual([2]);
  });

  it("matches terms as case-sensitive substrings and quoted phrases exactly", () => {
    expect(match("ERROR", "Exiting with ERRORCODE: -1")).toBe(true);
    expect(match("error", "ERROR")).toBe(false);
    expect(match('"Failed to process"', "[WARN] Failed to process the request")).toBe(true);
    expect(match('"Failed to process"', "Failed  to process")).toBe(false);
    expect(match('ERROR -"Exiting with"', "Exiting with ERRORCODE: -1")).toBe(false);
    expect(match('"[ERROR]" Exception', "[ERROR] Unhandled Exception")).toBe(true);
    expect(match('"say \\"hi\\""', 'they say "hi"')).toBe(true);
  });

  it("ignores ?terms when plain terms are present", () => {
    expect(match("ERROR ?WARN", "ERROR only")).toBe(true);
    expect(match("ERROR ?WARN", "WARN only")).toBe(false);
  });

  it('matches every event for "" and " "', () => {
    expect(matching("")).toEqual([1, 2, 3]);
    expect(matching('" "')).toEqual([1, 2, 3]);
    expect(match('" "', "nospaces")).toBe(true);
  });

  it("supports %regex% terms", () => {
    expect(matching("%^ERR%")).toEqual([1, 2]);
    expect(matching("-%^ERR%")).toEqual([3]);
    expect(testMetricFilter("ERROR", events).matches[0].extractedValues).toEqual({});
  });
});

describe("invalid and unsupported patterns", () => {
  it.each([
    ["[a, b", "missing closing ]", 5],
    ["[a, b c]", "expected a comparison operator", 6],
    ["[a = ]", "expected a value after =", 5],
    ["[a < abc]", "< compares numbers", 5],
    ["[a = %x(y)%]", "may not use ( or )", 7],
    ["[a = %abc]", "unterminated regular expression", 5],
    ['[a = "abc]', "unterminated quoted string", 5],
    ["[a, ..., b, ...]", "only one ...", 12],
    ["[a = 1 && b = 2]", "must be on field a, not b", 10],
    ["[a, a]", "named twice", 4],
    ["[a] x", "unexpected text after the closing ]", 4],
    ["[a =! 1]", "a value cannot start with !", 4],
    ['ERROR "unterminated', "unterminated quoted string", 6],
    ["ERROR - WARN", "- must be followed by a term", 6],
    // CloudWatch's regex character set: "%something!%" is its own example of a refused pattern.
    ["%something!%", '"!" is not allowed in a regular expression', 10],
    ["[a = %two words%]", '" " is not allowed', 9],
    ["[a = %caf\u00e9%]", "multi-byte", 9],
    ["%a% %b% %c%", "more than 2 regular expressions", 8],
    ["[a = %x%, b = %y%, c = %z%]", "more than 2 regular expressions", 23],
  ])("%s fails with %s, pointing at the character where it broke", (pattern, reason, position) => {
    let error: unknown;
    try {
      compilePattern(pattern);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatternSyntaxError);
    expect((error as PatternSyntaxError).reason).toContain(reason);
    expect((error as PatternSyntaxError).position).toBe(position);
    expect((error as Error).message).toContain(`\n  ${pattern}\n  ${" ".repeat(position)}^`);
  });

  it("rejects JSON selector patterns as not supported", () => {
    expect(() => compilePattern('{ $.eventType = "UpdateTrail" }')).toThrow(UnsupportedPatternError);
    expect(() => compilePattern("  {$.x=1}")).toThrow(/not supported/);
  });

  it("accepts every character CloudWatch's regex syntax lists, and two regular expressions", () => {
    expect(() => compilePattern("%^[A-Za-z0-9]{1,3}:_#=@/;,-?|\\d+.*$%")).not.toThrow();
    expect(() => compilePattern("[a = %^x%, b = %y$%]")).not.toThrow();
  });

  it("rejects patterns longer than CloudWatch's 1024 characters", () => {
    expect(() => compilePattern("x".repeat(1025))).toThrow(PatternSyntaxError);
  });
});
