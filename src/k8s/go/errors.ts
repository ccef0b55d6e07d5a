/**
 * @module config/errors
 * Start-up failures of `lwsctl controller`: a bad command line (exit 2, like Go's flag package) or a bad
 * configuration (exit 1, like upstream's "unable to load the configuration").
 */

/** A flag that does not exist or does not parse; the message is Go's flag package's. */
export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

/** The Configuration file or the effective options are invalid; `problems` name the fields. */
export class ConfigurationError extends Error {
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    const list = problems.length === 1 ? problems[0]! : `[${problems.join(', ')}]`;
    super(`${source}: ${list}`);
    this.name = 'ConfigurationError';
    this.problems = problems;
  }
}

/** A command-line mistake: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
