const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/**
 * The fields of one space-delimited log line, as offsets into the line (no substrings are made
 * until a value is needed). Text inside "..." or [...] is one field, without its quotes/brackets.
 * Runs of spaces or tabs separate fields. The buffers are reused from line to line.
 */
export class LogLineFields {
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  line = "";

  split(line: string): this {
    this.line = line;
    let count = 0;
    const length = line.length;
    let i = 0;
    while (i < length) {
      let ch = line.charCodeAt(i);
      if (ch === SPACE || ch === TAB) {
        i++;
        continue;
      }
      if (count === this.starts.length) this.grow();
      let start: number;
      let end: number;
      if (ch === QUOTE || ch === OPEN_BRACKET) {
        const close = ch === QUOTE ? QUOTE : CLOSE_BRACKET;
        start = i + 1;
        end = start;
        while (end < length && line.charCodeAt(end) !== close) end++;
        i = end + 1;
      } else {
        start = i;
        end = i + 1;
        while (end < length) {
          ch = line.charCodeAt(end);
          if (ch === SPACE || ch === TAB) break;
          end++;
        }
        i = end;
      }
      this.starts[count] = start;
      this.ends[count] = end;
      count++;
    }
    this.count = count;
    return this;
  }

  /**
   * How many fields split() would find, without recording where: a line without quotes, brackets or
   * tabs is counted with native substring searches (a pattern with no condition only counts fields).
   */
  static count(line: string): number {
    if (line.includes('"') || line.includes("[") || line.includes("\t")) return new LogLineFields().split(line).count;
    let count = 0;
    let i = 0;
    while (i < line.length) {
      if (line.charCodeAt(i) === SPACE) {
        i++;
        continue;
      }
      count++;
      const next = line.indexOf(" ", i);
      if (next < 0) break;
      i = next + 1;
    }
    return count;
  }

  value(index: number): string {
    return this.line.slice(this.starts[index], this.ends[index]);
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}
