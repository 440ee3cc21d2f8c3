// Git state for the session context, from `git status --porcelain=v2 --branch` and `git log` run directly:
// a wrapper library (simple-git and the like) costs more start-up than the whole hook budget allows.
import type { Logger } from '../log/logger.js';
import { readRepoStamp } from './metadata.js';
import { findGitRoot } from './repo.js';
import { childProcess } from '../util/child-process.js';

/** The git facts a session is told about. */
export interface GitState {
  repo: string;
  branch: string | null;
  detached: boolean;
  upstream: string | null;
  ahead: number;
  behind: number;
  staged: number;
  modified: number;
  untracked: number;
  conflicted: number;
  /** Newest first. `committedAt` (committer time, ms): the age is computed when the context is rendered, not here. */
  commits: Array<{ hash: string; subject: string; committedAt: number }>;
  /**
   * The repository's HEAD, index and branch ref as they were just before git ran (readRepoStamp): a cached state is
   * trusted only while they still match. Absent when HEAD was unreadable, and in rows cached before stamps existed.
   */
  stamp?: string;
}

/** A hanging git (network filesystem, a stuck lock, a credential prompt) must not stall the hook. */
const GIT_TIMEOUT_MS = 1000;

const COMMITS_SHOWN = 3;

type GitResult = { ok: true; stdout: string } | { ok: false; error: string };

/** Runs git with a hard timeout; on timeout the whole process group is killed and the call returns at once. */
async function runGit(cwd: string, args: string[], timeoutMs = GIT_TIMEOUT_MS): Promise<GitResult> {
  const { spawn } = childProcess();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: GitResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    // Own process group, so a timed-out git and anything it started can be killed together.
    const child = spawn('git', args, {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // No index.lock from a read-only status: the user's own git commands must never collide with a hook.
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    });
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      settle({ ok: false, error: `git ${args[0]} timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => settle({ ok: false, error: `git ${args[0]} could not run: ${e.message}` }));
    child.on('close', (code) => {
      if (code === 0) settle({ ok: true, stdout: Buffer.concat(out).toString('utf8') });
      else settle({ ok: false, error: `git ${args[0]} exited ${code}: ${Buffer.concat(err).toString('utf8').trim().split('\n')[0] ?? ''}` });
    });
  });
}

/** Parses `git status --porcelain=v2 --branch` output into the counts the context shows. */
export function parsePorcelainV2(repo: string, text: string): Omit<GitState, 'commits'> {
  const state: Omit<GitState, 'commits'> = {
    repo,
    branch: null,
    detached: false,
    upstream: null,
    ahead: 0,
    behind: 0,
    staged: 0,
    modified: 0,
    untracked: 0,
    conflicted: 0,
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('# branch.head ')) {
      const head = line.slice('# branch.head '.length);
      state.detached = head === '(detached)';
      state.branch = state.detached ? null : head;
    } else if (line.startsWith('# branch.upstream ')) {
      state.upstream = line.slice('# branch.upstream '.length);
    } else if (line.startsWith('# branch.ab ')) {
      const m = /\+(\d+) -(\d+)/.exec(line);
      state.ahead = Number(m?.[1] ?? 0);
      state.behind = Number(m?.[2] ?? 0);
    } else if (line.startsWith('1 ') || line.startsWith('2 ')) {
      const xy = line.slice(2, 4);
      if (xy[0] !== '.') state.staged++;
      if (xy[1] !== '.') state.modified++;
    } else if (line.startsWith('u ')) {
      state.conflicted++;
    } else if (line.startsWith('? ')) {
      state.untracked++;
    }
  }
  return state;
}

const FIELD = '\u001f';

export function parseLog(text: string): GitState['commits'] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [hash = '', seconds = '', subject = ''] = line.split(FIELD);
      return { hash, subject, committedAt: Number(seconds) * 1000 };
    });
}

/**
 * The git state of the repository holding `cwd`, or null when it is not a git repository or git failed.
 * Bounded by GIT_TIMEOUT_MS; failures are reported through `log`.
 */
export async function collectGitState(cwd: string, log?: Logger): Promise<GitState | null> {
  const repo = findGitRoot(cwd);
  if (!repo) return null;
  // Read first: a commit landing while git runs then leaves the stored state with a stamp that no longer matches.
  const stamp = readRepoStamp(repo);
  const [status, history] = await Promise.all([
    runGit(repo, ['status', '--porcelain=v2', '--branch']),
    runGit(repo, ['log', `-${COMMITS_SHOWN}`, `--format=%h${FIELD}%ct${FIELD}%s`]),
  ]);
  if (!status.ok) {
    log?.warn({ repo, error: status.error }, 'git state unavailable');
    return null;
  }
  // A repository without commits makes `git log` fail; that is not a problem worth logging.
  const state: GitState = { ...parsePorcelainV2(repo, status.stdout), commits: history.ok ? parseLog(history.stdout) : [] };
  if (stamp !== undefined) state.stamp = stamp;
  return state;
}

/** The repository's local branch names; null when git failed (then nothing may be concluded about a branch). */
export async function listLocalBranches(root: string): Promise<string[] | null> {
  const refs = await runGit(root, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/']);
  return refs.ok ? refs.stdout.split('\n').filter(Boolean) : null;
}
