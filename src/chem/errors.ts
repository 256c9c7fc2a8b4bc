/**
 * The structure the caller gave cannot be registered (unparsable, empty, too large, ...).
 * `reason` is meant for people: it is shown to the user who typed the structure.
 */
export class ChemInputError extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.name = 'ChemInputError';
    this.reason = reason;
  }
}

/** Anything that is not the caller's fault: RDKit trapped, a worker died, the pool was closed. */
export class ChemInternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChemInternalError';
  }
}
