// Every git command taskhooks runs is built here, so that a repository's own configuration (its .git/config, the
// files that includes, its .gitattributes) can make git run nothing: hooks run in any folder a user opens, and git
// trusts a repository's config to name programs (fsmonitor, filter drivers, hooks, pagers, ssh, credential helpers).
// Only the read commands taskhooks needs are built; none of them fetches, writes refs or opens an editor.
import { scrubbedEnvironment } from '../log/child-env.js';
import { childProcess } from '../util/child-process.js';
import { gitRefusal } from './repo.js';

/**
 * Config set on the command line, which git reads after every file (so it wins over the repository's config and
 * anything included from it). Each key here is one that can make git start a program.
 */
const PROTECTIVE_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  // No file is found under /dev/null, so no hook runs (post-index-change, reference-transaction, …).
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  // An empty value makes a diff fail rather than run the repository's program; taskhooks never asks for a diff.
  'diff.external=',
  'core.sshCommand=',
  'core.editor=true',
  'sequence.editor=true',
  // An empty entry empties the list of helpers configured before it.
  'credential.helper=',
  // A read never reaches a remote (a partial clone's lazy fetch would run ssh or a remote helper).
  'protocol.allow=never',
  // `git log` would run gpg.program to check signatures.
  'log.showSignature=false',
];

/** Options that come before the command: no pager at all, and no opportunistic index write (nor its hook). */
const GLOBAL_OPTIONS: readonly string[] = ['--no-pager', '--no-optional-locks'];

/**
 * Environment for the git the hooks spawn: no prompt waiting for a password, no lazy fetch of missing objects (git
 * 2.44 and later), one language for what is logged. simple-git instead removes every ambient GIT_* variable.
 */
const PROTECTIVE_ENV: Readonly<Record<string, string>> = {
  GIT_OPTIONAL_LOCKS: '0',
  GIT_TERMINAL_PROMPT: '0',
  GIT_NO_LAZY_FETCH: '1',
  LC_ALL: 'C',
};

const SAFE = Symbol('safe git call');

/** A git command built by this module: the runners take nothing else. */
export interface SafeGitCall {
  readonly [SAFE]: true;
  /** `key=value` pairs, each given to git as `-c key=value`. */
  readonly config: readonly string[];
  /** The global options and the command with its arguments. */
  readonly args: readonly string[];
  /** Exit codes that are answers, not failures (`git check-ignore` answers "not ignored" with 1). */
  readonly okExitCodes: readonly number[];
  /** A git that prints more than this is killed: nothing taskhooks asks for is that long. */
  readonly maxOutputBytes: number;
}

/** What a status or log of a working repository prints, many times over; more is a runaway. */
export const GIT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** The one line a git stopped for its output says. */
export const tooMuchOutput = (command: string, maxBytes: number): string =>
  `git ${command} printed more than ${Math.round(maxBytes / 1048576)} MiB and was stopped`;

/**
 * The programs a repository's config names under a name of its choosing, which only a `-c` with that name can switch
 * off: filter drivers (a status hashes a file whose stat changed through its clean filter) and per-protocol
 * allowances (`protocol.<name>.allow` wins over `protocol.allow`, and a lazy fetch would use it).
 */
export interface ConfiguredNames {
  readonly filters: readonly string[];
  readonly protocols: readonly string[];
}

/**
 * A name can hold any character but a newline; one holding `=` cannot be given to `-c` (git splits there), so a
 * repository that uses one gets no command that needs it switched off.
 */
export class UnsafeConfigNameError extends Error {
  constructor(readonly key: string) {
    super(
      `the repository's git config names ${JSON.stringify(key)}, which cannot be switched off for one command, so git was not run`,
    );
  }
}

/** The config listing `configuredNames` reads: reading config runs nothing, and includes are followed. */
export const LIST_CONFIG_ARGS: readonly string[] = ['config', '--list', '-z'];

/** The filter drivers and protocols named anywhere in the config (any scope, includes followed), from LIST_CONFIG_ARGS' output. */
export function configuredNames(listing: string): ConfiguredNames {
  const filters = new Set<string>();
  const protocols = new Set<string>();
  for (const entry of listing.split('\0')) {
    const key = entry.split('\n', 1)[0] ?? '';
    const filter = /^filter\.(.+)\.(clean|smudge|process|required)$/s.exec(key)?.[1];
    if (filter) filters.add(filter);
    const protocol = /^protocol\.(.+)\.allow$/s.exec(key)?.[1];
    if (protocol) protocols.add(protocol);
  }
  return { filters: [...filters], protocols: [...protocols] };
}

function switchedOff(names: ConfiguredNames): string[] {
  const pairs = [
    // Empty commands run nothing; `required` would make git fail for want of a clean filter.
    ...names.filters.flatMap((n) => [
      `filter.${n}.clean=`,
      `filter.${n}.smudge=`,
      `filter.${n}.process=`,
      `filter.${n}.required=false`,
    ]),
    ...names.protocols.map((n) => `protocol.${n}.allow=never`),
  ];
  const unsafe = pairs.find((p) => p.slice(0, p.lastIndexOf('=')).includes('='));
  if (unsafe) throw new UnsafeConfigNameError(unsafe.slice(0, unsafe.lastIndexOf('=')));
  return pairs;
}

/**
 * The command `args` with the protections; `configured` (from `configuredNames`) adds the repository's own names
 * switched off, for a command that may hash working-tree files or reach a remote for missing objects (`git status`).
 * Throws UnsafeConfigNameError for a name that cannot be switched off.
 */
export function safeGit(
  args: readonly string[],
  opts: { configured?: ConfiguredNames; okExitCodes?: readonly number[]; maxOutputBytes?: number } = {},
): SafeGitCall {
  const extra = opts.configured ? switchedOff(opts.configured) : [];
  return {
    [SAFE]: true,
    config: [...PROTECTIVE_CONFIG, ...extra],
    args: [...GLOBAL_OPTIONS, ...args],
    okExitCodes: opts.okExitCodes ?? [0],
    maxOutputBytes: opts.maxOutputBytes ?? GIT_MAX_OUTPUT_BYTES,
  };
}

/** The argv of a call: `-c` pairs first, then the global options and the command. */
function gitArgv(call: SafeGitCall): string[] {
  return [...call.config.flatMap((c) => ['-c', c]), ...call.args];
}

export type GitResult = { ok: true; stdout: string; exitCode: number } | { ok: false; error: string };

/** Runs safe calls: `spawnGitRunner` spawns git itself (hooks), `simpleGitRunner` goes through simple-git (the rest). */
export interface GitRunner {
  /** How long one command may take unless told less: in all (spawned), or without output (simple-git). */
  readonly timeoutMs: number;
  run(cwd: string, call: SafeGitCall, timeoutMs?: number): Promise<GitResult>;
}

/** A hanging git (network filesystem, a stuck lock) must not stall a hook. */
const HOOK_GIT_TIMEOUT_MS = 1000;

/**
 * The hot path's runner: git spawned directly (a wrapper library costs more start-up than a hook's budget), in its
 * own process group, which a timeout kills whole and at once.
 */
async function spawnGit(cwd: string, call: SafeGitCall, timeoutMs = HOOK_GIT_TIMEOUT_MS): Promise<GitResult> {
  const { spawn } = childProcess();
  const command = call.args.find((a) => !a.startsWith('-')) ?? 'git';
  const refused = gitRefusal(cwd);
  if (refused !== undefined) return { ok: false, error: `git ${command} not run: ${refused}` };
  // A bare `git` could be the repository's own: Windows looks there first, and elsewhere an empty PATH entry does.
  const git = (await import('./git-program.js')).gitProgram();
  if (typeof git !== 'string') return { ok: false, error: `git ${command} not run: ${git.message}` };
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: GitResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const child = spawn(git, gitArgv(call), {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: scrubbedEnvironment(PROTECTIVE_ENV),
    });
    const stop = (error: string): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      settle({ ok: false, error });
    };
    const timer = setTimeout(() => stop(`git ${command} timed out after ${timeoutMs} ms`), timeoutMs);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let printed = 0;
    child.stdout.on('data', (b: Buffer) => {
      printed += b.length;
      if (printed > call.maxOutputBytes) stop(tooMuchOutput(command, call.maxOutputBytes));
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => settle({ ok: false, error: `git ${command} could not run: ${e.message}` }));
    child.on('close', (code) => {
      if (code !== null && call.okExitCodes.includes(code))
        settle({ ok: true, stdout: Buffer.concat(out).toString('utf8'), exitCode: code });
      else
        settle({
          ok: false,
          error: `git ${command} exited ${code}: ${Buffer.concat(err).toString('utf8').trim().split('\n')[0] ?? ''}`,
        });
    });
  });
}

/** The runner of every git a hook may run. */
export const spawnGitRunner: GitRunner = { timeoutMs: HOOK_GIT_TIMEOUT_MS, run: spawnGit };
