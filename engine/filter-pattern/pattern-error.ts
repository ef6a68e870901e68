/** A filter pattern that CloudWatch Logs would refuse; the message points at where it broke. */
export class PatternSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly pattern: string,
    readonly position: number,
  ) {
    super(`invalid filter pattern: ${reason} at position ${position + 1}\n  ${pattern}\n  ${" ".repeat(position)}^`);
    this.name = "PatternSyntaxError";
  }
}

/** JSON selector patterns (`{ $.x = 1 }`) are valid in CloudWatch but out of this engine's scope. */
export class UnsupportedPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedPatternError";
  }
}
