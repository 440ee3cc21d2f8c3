/**
 * What kind of failure it is, for a script to branch on: how the command was called, the configuration, a task or
 * project that is not there, a source that cannot be reached, credentials refused, or anything else.
 * src/cli/failure.ts gives each kind its exit code.
 */
export type FailureKind = 'usage' | 'config' | 'not_found' | 'unavailable' | 'auth' | 'failed';

/** An error the person at the terminal can fix: printed as one line, no stack trace. */
export class UserError extends Error {
  readonly kind: FailureKind;
  /** What to do about it, where the message does not end with it (`--json` shows it apart). */
  readonly fix: string | undefined;

  /** `kind` 2 and 1 are the exit codes older call sites give: a usage error, any other failure. */
  constructor(message: string, kind: FailureKind | 1 | 2 = 'failed', options?: { cause?: unknown; fix?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.kind = kind === 2 ? 'usage' : kind === 1 ? 'failed' : kind;
    this.fix = options?.fix;
  }
}
