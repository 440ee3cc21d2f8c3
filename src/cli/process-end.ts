// How the `taskhooks` process ends once its command has returned. Most end as node does, when nothing is left to run
// (an async log flushes, a server's sockets close). A command that left a SQLite connection open on purpose ends by
// exit instead: ending by draining would close it, and the last connection's close folds the write-ahead log into
// the file and deletes it (fsyncs and unlinks the next write makes again). SQLite is built for that ending: the OS
// drops the locks and the next connection, in any process, reads the log as it was left.

let exitAtEnd = false;

// Whether anything made process.stderr, which Node makes at its first use: making it only to wait on it (a pipe's or
// a terminal's stream loads node:net) cost every quiet command a few milliseconds. Its own getter tells, so a write by
// any module counts; where the getter cannot be wrapped, stderr is waited on as before.
let stderrMade = false;
const stderrProperty = Object.getOwnPropertyDescriptor(process, 'stderr');
const makeStderr = stderrProperty?.get;
if (makeStderr && stderrProperty.configurable)
  Object.defineProperty(process, 'stderr', {
    ...stderrProperty,
    get: () => {
      stderrMade = true;
      return makeStderr.call(process);
    },
  });
else stderrMade = true;

/** Called by a command that leaves its connections open: the process ends by exit once what it printed is out. */
export function endWithoutClosing(): void {
  exitAtEnd = true;
}

/** Ends the command with `code`. */
export function endCommand(code: number): void {
  process.exitCode = code;
  if (!exitAtEnd) return;
  let pending = stderrMade ? 2 : 1;
  const written = (): void => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', written);
  if (stderrMade) process.stderr.write('', written);
}
