// The runner of git for the long-lived and interactive paths (the monitor, doctor, the CLI): simple-git, with the
// very calls safe.ts builds. The hooks spawn git themselves (safe.ts `spawnGitRunner`): simple-git's load time is more than
// a hook's whole budget, and the build keeps it out of their bundles.
import { simpleGit, type SimpleGitOptions } from 'simple-git';
import { scrubbedEnvironment } from '../log/child-env.js';
import { gitProgram } from './git-program.js';
import { gitRefusal } from './repo.js';
import { tooMuchOutput, type GitResult, type GitRunner, type SafeGitCall } from './safe.js';

/** Long enough for a large repository's status; a git that prints nothing for this long is killed. */
const GIT_SILENCE_MS = 10_000;
/** However much it prints, a git running this long is killed: a monitor's refresh must end. */
const GIT_TOTAL_MS = 60_000;

/**
 * simple-git refuses `-c` for the keys that can name a program unless allowed, to stop a caller's unchecked input
 * from setting them. The calls here are built by safe.ts alone and set those keys to values that run nothing.
 */
const ALLOWED: SimpleGitOptions['unsafe'] = {
  allowUnsafeFsMonitor: true,
  allowUnsafeHooksPath: true,
  allowUnsafePager: true,
  allowUnsafeDiffExternal: true,
  allowUnsafeSshCommand: true,
  allowUnsafeEditor: true,
  allowUnsafeCredentialHelper: true,
  allowUnsafeProtocolOverride: true,
  allowUnsafeFilter: true,
  // The binary is git's absolute path found on the PATH (gitProgram), which may hold a space (C:\Program Files).
  allowUnsafeCustomBinary: true,
};

/**
 * The environment without secrets (src/log/child-env.ts), and without GIT_* variables: simple-git drops those it finds
 * in the ambient environment but refuses a call that is handed one explicitly.
 */
function gitEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(scrubbedEnvironment()).filter(([name]) => !/^git_/i.test(name)));
}

/** One call through simple-git: the same protections, and its own guards on everything else. */
async function runSimpleGit(cwd: string, call: SafeGitCall, timeoutMs = GIT_SILENCE_MS): Promise<GitResult> {
  let exitCode = 0;
  const command = call.args.find((a) => !a.startsWith('-')) ?? 'git';
  const refused = gitRefusal(cwd);
  if (refused !== undefined) return { ok: false, error: `git ${command} not run: ${refused}` };
  const binary = gitProgram();
  if (typeof binary !== 'string') return { ok: false, error: `git ${command} not run: ${binary.message}` };
  // Bounded in all, not only in silence, and in what it prints: the abort kills the child.
  const stop = new AbortController();
  let stopped: string | undefined;
  const timer = setTimeout(() => {
    stopped = `git ${command} ran longer than ${GIT_TOTAL_MS} ms and was stopped`;
    stop.abort();
  }, GIT_TOTAL_MS);
  try {
    const git = simpleGit({
      baseDir: cwd,
      binary,
      config: [...call.config],
      unsafe: ALLOWED,
      abort: stop.signal,
      timeout: { block: timeoutMs },
      // An exit code the call counts as an answer (check-ignore's 1) is not an error; any other is, stderr or not.
      errors(error, result) {
        exitCode = result.exitCode;
        if (call.okExitCodes.includes(result.exitCode)) return undefined;
        return error ?? Buffer.concat([...result.stdErr, ...result.stdOut]);
      },
    })
      .env(gitEnvironment())
      .outputHandler((_command, stdout) => {
        let printed = 0;
        stdout.on('data', (b: Buffer) => {
          printed += b.length;
          if (printed <= call.maxOutputBytes || stopped !== undefined) return;
          stopped = tooMuchOutput(command, call.maxOutputBytes);
          stop.abort();
        });
      });
    const stdout = await git.raw([...call.args]);
    return { ok: true, stdout, exitCode };
  } catch (err) {
    if (stopped !== undefined) return { ok: false, error: stopped };
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `git ${command} failed: ${message.trim().split('\n')[0] ?? ''}` };
  } finally {
    clearTimeout(timer);
  }
}

export const simpleGitRunner: GitRunner = { timeoutMs: GIT_SILENCE_MS, run: runSimpleGit };
