import { PatternSyntaxError } from "./pattern-error";

/** "Regular expressions are limited to 2 per filter pattern" (CloudWatch Logs, FilterAndPatternSyntax). */
export const MAX_REGEXES = 2;

/** Reads a pattern left to right; every error it raises carries the current position. */
export class PatternCursor {
  pos: number;
  /** Regular expressions read so far: CloudWatch allows MAX_REGEXES in one pattern. */
  private regexes = 0;

  constructor(
    readonly text: string,
    start = 0,
    readonly end = text.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  peek(offset = 0): string {
    const at = this.pos + offset;
    return at < this.end ? this.text[at] : "";
  }

  startsWith(token: string): boolean {
    return this.pos + token.length <= this.end && this.text.startsWith(token, this.pos);
  }

  skipSpaces(): void {
    while (this.pos < this.end && /\s/.test(this.text[this.pos])) this.pos++;
  }

  fail(reason: string, at = this.pos): never {
    throw new PatternSyntaxError(reason, this.text, Math.min(at, this.text.length));
  }

  /** Reads `"..."` starting at the opening quote; `\"` and `\\` are escapes. */
  readQuoted(): string {
    const open = this.pos;
    this.pos++;
    let out = "";
    while (this.pos < this.end) {
      const ch = this.text[this.pos];
      if (ch === "\\" && this.pos + 1 < this.end) {
        out += this.text[this.pos + 1];
        this.pos += 2;
      } else if (ch === '"') {
        this.pos++;
        return out;
      } else {
        out += ch;
        this.pos++;
      }
    }
    return this.fail("unterminated quoted string", open);
  }

  /** Reads `%regex%` starting at the opening percent sign. */
  readRegexBody(): { body: string; at: number } {
    const open = this.pos;
    if (++this.regexes > MAX_REGEXES)
      this.fail(`more than ${MAX_REGEXES} regular expressions in one pattern (CloudWatch's limit)`, open);
    const close = this.text.indexOf("%", open + 1);
    if (close < 0 || close >= this.end) this.fail("unterminated regular expression (missing closing %)", open);
    this.pos = close + 1;
    return { body: this.text.slice(open + 1, close), at: open };
  }
}
