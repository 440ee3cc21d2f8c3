// Git state for the session context, from `git status --porcelain=v2 --branch` and `git log`, run through the
// protections of safe.ts by the caller's runner: spawned directly in hooks, through simple-git in the monitor.
import { loadTokenFormats, scrubString } from '../log/redact.js';
import type { Logger } from '../log/logger.js';
import { readRepoStamp } from './metadata.js';
import { findRepo } from './repo.js';
import {
  configuredNames,
  LIST_CONFIG_ARGS,
  safeGit,
  spawnGitRunner,
  UnsafeConfigNameError,
  type GitResult,
  type GitRunner,
} from './safe.js';

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

const COMMITS_SHOWN = 3;

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
 * `git status` with the filter drivers and protocols the repository's config names switched off: a status hashes
 * files whose stat changed through their clean filter, and the names cannot be known without reading the config.
 */
export async function readStatus(repo: string, runner: GitRunner): Promise<GitResult> {
  // Both commands within the runner's one timeout: a hook waits for git no longer than it did for a status alone.
  const until = Date.now() + runner.timeoutMs;
  const listing = await runner.run(repo, safeGit(LIST_CONFIG_ARGS));
  if (!listing.ok) return listing;
  const left = until - Date.now();
  if (left <= 0) return { ok: false, error: `git status not run: git config took all of ${runner.timeoutMs} ms` };
  try {
    // Submodules are left out: each has a config of its own, which the listing does not read.
    const args = ['status', '--porcelain=v2', '--branch', '--ignore-submodules=all'];
    return await runner.run(repo, safeGit(args, { configured: configuredNames(listing.stdout) }), left);
  } catch (err) {
    if (err instanceof UnsafeConfigNameError) return { ok: false, error: err.message };
    throw err;
  }
}

/**
 * The git state of the repository holding `cwd`, or null when it is not a git repository or git failed.
 * Bounded by the runner's timeout; failures are reported through `log`.
 */
export async function collectGitState(
  cwd: string,
  log?: Logger,
  runner: GitRunner = spawnGitRunner,
): Promise<GitState | null> {
  const found = findRepo(cwd);
  if (!found) return null;
  const repo = found.root;
  if (found.refused !== undefined) {
    log?.warn({ repo, error: found.refused }, 'git state unavailable');
    return null;
  }
  // Read first: a commit landing while git runs then leaves the stored state with a stamp that no longer matches.
  const stamp = readRepoStamp(repo);
  const [status, history] = await Promise.all([
    readStatus(repo, runner),
    runner.run(repo, safeGit(['log', `-${COMMITS_SHOWN}`, `--format=%h${FIELD}%ct${FIELD}%s`])),
  ]);
  if (!status.ok) {
    log?.warn({ repo, error: status.error }, 'git state unavailable');
    return null;
  }
  // A repository without commits makes `git log` fail; that is not a problem worth logging.
  const commits = history.ok ? parseLog(history.stdout) : [];
  // A commit subject may quote a token (a revert of a leaked key): scrubbed before the cache or a context holds it.
  await loadTokenFormats(commits.map((c) => c.subject).join('\n'));
  const state: GitState = {
    ...parsePorcelainV2(repo, status.stdout),
    commits: commits.map((c) => ({ ...c, subject: scrubString(c.subject) })),
  };
  if (stamp !== undefined) state.stamp = stamp;
  return state;
}

/** The repository's local branch names; null when git failed (then nothing may be concluded about a branch). */
export async function listLocalBranches(root: string, runner: GitRunner = spawnGitRunner): Promise<string[] | null> {
  const refs = await runner.run(root, safeGit(['for-each-ref', '--format=%(refname:short)', 'refs/heads/']));
  return refs.ok ? refs.stdout.split('\n').filter(Boolean) : null;
}
