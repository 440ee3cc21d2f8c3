// A doctor step's failure that knows its fix: the message says what failed, `fix` what to do.
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}
