/**
 * The task store cannot be used and was not replaced: what is wrong with it, where it is, and how to get the tasks
 * back. Thrown instead of ever starting over with an empty store, which would look like every task was deleted.
 */
export class DamagedStoreError extends Error {
  /** The message and the fix in one line, for a caller that shows only one. */
  get withFix(): string {
    return `${this.message}: ${this.fix}`;
  }

  constructor(
    /** The store's file, left where it was. */
    readonly file: string,
    /** What is wrong, in a few words: "file is not a database". */
    readonly short: string,
    /** What the person can do about it. */
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(`Task store ${file} is damaged (${short}) and was left as it is`, options);
    this.name = 'DamagedStoreError';
  }
}
