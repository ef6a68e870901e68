/** A user-facing error: bad input (missing path, unknown query, bad option). The CLI prints it and exits 2. */
export class EngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineError";
  }
}
