// How the `taskhooks` process ends once its command has returned. Most end as node does, when nothing is left to run
// (an async log flushes, a server's sockets close). A command that left a SQLite connection open on purpose ends by
// exit instead: ending by draining would close it, and the last connection's close folds the write-ahead log into
// the file and deletes it (fsyncs and unlinks the next write makes again). SQLite is built for that ending: the OS
// drops the locks and the next connection, in any process, reads the log as it was left.

let exitAtEnd = false;

// Whether anything made process.stdout or process.stderr, which Node makes at their first use: making one only to wait
// on it (a pipe's or a terminal's stream loads node:net) cost every quiet command a few milliseconds. Their own getters
// tell, so a use by any module counts; where a getter cannot be wrapped, that stream is taken as made.
const made = { stdout: false, stderr: false };
for (const name of ['stdout', 'stderr'] as const) {
  const property = Object.getOwnPropertyDescriptor(process, name);
  const make = property?.get;
  if (!make || !property.configurable) made[name] = true;
  else
    Object.defineProperty(process, name, {
      ...property,
      get: () => {
        const stream = make.call(process) as NodeJS.WriteStream;
        if (!made[name] && name === 'stdout') stream.on('error', stdoutFailed);
        made[name] = true;
        return stream;
      },
    });
}
if (made.stdout) process.stdout.on('error', stdoutFailed);

/**
 * A write to stdout that failed. A reader that stops early (`taskhooks doctor | head`) closes the pipe: what is left
 * has no one to read it, so the command ends as it would have, without a stack trace. Any other failure is said on
 * stderr.
 */
export function stdoutFailed(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') return;
  process.stderr.write(`taskhooks: cannot write to standard output: ${err.message}\n`);
  process.exit(1);
}

/** Called by a command that leaves its connections open: the process ends by exit once what it printed is out. */
export function endWithoutClosing(): void {
  exitAtEnd = true;
}

/** Ends the command with `code`. */
export function endCommand(code: number): void {
  process.exitCode = code;
  if (!exitAtEnd) return;
  const streams = (['stdout', 'stderr'] as const).filter((name) => made[name]);
  let pending = streams.length;
  if (pending === 0) process.exit(code);
  const written = (): void => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  for (const name of streams) process[name].write('', written);
}
