// A command-line program as a task source's transport (Backlog.md's `backlog`): run once per read, in a process group
// of its own that the deadline ends whole, behind the same shared circuit breaker and call metrics as an MCP server,
// so hooks skip a program that keeps timing out just as they skip a dead server.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { recordCall } from '../cache/metrics.js';
import type { Cache } from '../cache/cache.js';
import { asTaskSourceError, deadlineEnded, TaskSourceError } from '../errors/task-source.js';
import type { Logger } from '../log/logger.js';
import { classifyError } from '../mcp/classify.js';
import { childEnvironment, killGroup } from '../mcp/stdio.js';
import { behindBreaker } from '../resilience/breaker.js';
import { resolvePolicy, type ResiliencePolicy } from '../resilience/policy.js';
import type { Deadline } from '../util/deadline.js';
import { programToRun } from '../util/executable.js';

/** A task list is kilobytes; anything near this is a program gone wrong, not data worth buffering. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export interface ProgramTarget {
  /** How its breaker, metrics and messages name it: `cli:<command …>`. */
  server: string;
  command: string;
  /** Put before each run's own arguments. */
  args: string[];
  env: Record<string, string>;
  /** `env` is the child's whole environment, built by the caller (gh's, scrubbed as git's), not added to the basics. */
  wholeEnv?: boolean;
}

export interface ProgramOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ProgramRunner {
  readonly server: string;
  /** Runs the program with `argv` in `cwd` by the deadline; a non-zero exit is an answer (the caller reads it), not a throw. */
  run(argv: readonly string[], opts: { cwd: string; deadline: Deadline }): Promise<ProgramOutput>;
}

/** How a run ends early and what it leaves behind: its first failure, and its process group ended whole. */
interface RunEnd {
  /** The first failure that ended the run, if one did. */
  failure(): TaskSourceError | undefined;
  /** Records `why` (unless a failure came first) and ends the program's group. */
  fail(why: TaskSourceError): void;
  /** Once the program closed: stops listening for the deadline and the process's exit, ends what it left running. */
  release(): void;
}

/** The run's end, listening from now on for the deadline and for this process's exit. */
function runEnd(child: Pick<ChildProcess, 'pid'>, server: string, deadline: Deadline): RunEnd {
  let failure: TaskSourceError | undefined;
  const endGroup = (): void => {
    if (child.pid) killGroup(child.pid, 'SIGKILL');
  };
  const fail = (why: TaskSourceError): void => {
    failure ??= why;
    endGroup();
  };
  const onAbort = (): void => fail(deadlineEnded(server, deadline));
  if (deadline.signal.aborted) onAbort();
  else deadline.signal.addEventListener('abort', onAbort, { once: true });
  // A hook exits the moment it has answered: a detached group would outlive it.
  process.once('exit', endGroup);
  return {
    failure: () => failure,
    fail,
    release() {
      deadline.signal.removeEventListener('abort', onAbort);
      process.off('exit', endGroup);
      // Whatever it left running in the background ends with it: a read leaves nothing behind.
      endGroup();
    },
  };
}

/** The program's stdout and stderr, kept up to MAX_OUTPUT_BYTES between them; more fails the run as too large. */
function collectOutput(
  child: { stdout: Readable; stderr: Readable },
  server: string,
  fail: (why: TaskSourceError) => void,
): () => { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let size = 0;
  const collect = (into: Buffer[]) => (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_OUTPUT_BYTES) into.push(chunk);
    else {
      fail(
        new TaskSourceError(
          'protocol',
          `Task source answer too large (over ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB) at ${server}`,
          { short: 'answer too large', place: server },
        ),
      );
    }
  };
  child.stdout.on('data', collect(out));
  child.stderr.on('data', collect(err));
  return () => ({
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  });
}

/** A program that could not start (no pid) is said as its spawn error; one that started and broke, as unavailable. */
function childFailure(e: NodeJS.ErrnoException, started: boolean, server: string): TaskSourceError {
  if (!started) return classifyError(e, server);
  return new TaskSourceError('unavailable', `Task source failed: ${e.message} at ${server}`, {
    short: e.message.slice(0, 80),
    place: server,
    cause: e,
  });
}

/** One run of a program by the deadline, in its own process group ended whole; no breaker, no metrics. */
export function runOnce(
  target: ProgramTarget,
  argv: readonly string[],
  cwd: string,
  deadline: Deadline,
): Promise<ProgramOutput> {
  const env = target.wholeEnv ? target.env : childEnvironment(target.env);
  const command = programToRun(target.command, env);
  if (command instanceof Error) return Promise.reject(classifyError(command, target.server));
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...target.args, ...argv], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a program that runs through a wrapper (a node shim that starts a native binary) is
      // ended with everything it started.
      detached: true,
    });
    const end = runEnd(child, target.server, deadline);
    const output = collectOutput(child, target.server, end.fail);
    child.on('error', (e: NodeJS.ErrnoException) => end.fail(childFailure(e, Boolean(child.pid), target.server)));
    child.on('close', (code) => {
      end.release();
      const failure = end.failure();
      if (failure) reject(failure);
      else resolve({ code: code ?? -1, ...output() });
    });
  });
}

export function programRunner(
  target: ProgramTarget,
  ctx: { cache: Cache; log: Logger; policy?: Partial<ResiliencePolicy> | undefined },
): ProgramRunner {
  const policy = resolvePolicy(ctx.policy);
  const { cache, log } = ctx;
  const { server } = target;
  return {
    server,
    run: (argv, { cwd, deadline }) =>
      behindBreaker(
        { cache, log, policy },
        server,
        deadline,
        async () => {
          const started = performance.now();
          try {
            const output = await runOnce(target, argv, cwd, deadline);
            recordCall(cache, server, performance.now() - started, null);
            return output;
          } catch (err) {
            recordCall(cache, server, performance.now() - started, asTaskSourceError(err).message);
            throw err;
          }
        },
        asTaskSourceError,
      ),
  };
}
