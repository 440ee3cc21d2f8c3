// The built CLI as a child process, with everything a failing assertion needs to say why: the exit code, the signal
// that ended it, stdout and stderr. `jsonOut` parses a `--json` answer or fails naming all four.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './hooks.js';

export const CLI = path.join(ROOT, 'dist/cli.js');

export interface CliRun {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `taskhooks ARGS`; never rejects: a failed run is a result whose code or signal says so. */
export function runCli(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliRun> {
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
