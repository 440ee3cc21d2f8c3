// The CLI for tests, with everything a failing assertion needs to say why: the exit code, the signal that ended it,
// stdout and stderr. `runCli` runs the command's code in the test's own process (what it prints and answers for its
// arguments); `runBuiltCli` runs the built bundle as a child process, for what only a process shows: the entry build
// bin.ts picks, exit codes as the shell sees them, signals, locks between processes. `jsonOut` parses a `--json`
// answer or fails naming all four.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { swapSecrets } from '../../src/log/redact.js';
import { ROOT } from './hooks.js';

export const CLI = path.join(ROOT, 'dist/cli.js');

export interface CliRun {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A stream that keeps what is written to it, as a pipe to a child would. */
function capture(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

// The secrets registered for scrubbing, as a process of its own would have them: none before the command, and none
// of the command's after it, so no run scrubs what only another was told. Runs that overlap share one registry.
let running = 0;
let outside: string[] = [];

/**
 * Runs `taskhooks ARGS` in this process, as src/cli/start.ts would: a rejection is the line and exit 1 it prints. A
 * command that runs until a signal (start, monitor run, serve, watch, mcp) is runBuiltCli's: it owns its process.
 */
export async function runCli(args: string[], opts: CliOptions): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  if (running++ === 0) outside = swapSecrets([]);
  let code: number;
  try {
    code = await main(args, {
      cwd: opts.cwd,
      env: opts.env,
      stdout: stdout.stream,
      stderr: stderr.stream,
      isTTY: false,
    });
  } catch (err) {
    stderr.stream.write(`taskhooks: ${err instanceof Error ? err.message : String(err)}\n`);
    code = 1;
  } finally {
    if (--running === 0) swapSecrets(outside);
  }
  return { args, code, signal: null, stdout: stdout.text(), stderr: stderr.text() };
}

/** `runCli` for a command that must succeed: a failure throws, saying how it ended, as a failed child's exec would. */
export async function runCliOk(args: string[], opts: CliOptions): Promise<CliRun> {
  const r = await runCli(args, opts);
  if (r.code !== 0) throw new Error(describeRun(r));
  return r;
}

/** Runs the built `taskhooks ARGS` as a child process; never rejects: a failed run is a result whose code or signal says so. */
export function runBuiltCli(args: string[], opts: CliOptions): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { ...opts, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const failure = err as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
      const code = failure ? (typeof failure.code === 'number' ? failure.code : null) : 0;
      resolve({ args, code, signal: failure?.signal ?? null, stdout, stderr });
    });
  });
}

/** What a run's failure looks like in a test's message: the command, how it ended, and both streams. */
export function describeRun(r: CliRun): string {
  const ended = r.signal ? `was killed by ${r.signal}` : `exited ${r.code}`;
  return `taskhooks ${r.args.join(' ')} ${ended}\nstdout: ${JSON.stringify(r.stdout)}\nstderr: ${JSON.stringify(r.stderr)}`;
}

/** The JSON a `--json` run printed; a run that failed or printed no JSON throws, saying how it ended and why. */
export function jsonOut<T>(r: CliRun): T {
  if (r.code !== 0) throw new Error(describeRun(r));
  try {
    return JSON.parse(r.stdout) as T;
  } catch (err) {
    throw new Error(`${describeRun(r)}\n${(err as Error).message}`);
  }
}
