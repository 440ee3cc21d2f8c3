// What a session did in a repository, for its work record: the commits made since the commit it started on, and the
// files it left changed and uncommitted. Two git runs, each bounded by the runner's timeout.
import { loadTokenFormats, scrubString } from '../log/redact.js';
import { safeGit, spawnGitRunner, type GitRunner } from './safe.js';
import { readStatus } from './state.js';

/** A session's commits and uncommitted files are cut here: a record says what happened, not every detail of it. */
export const WORK_COMMITS_KEPT = 20;
export const WORK_FILES_KEPT = 20;

const FIELD = '\x1f';

export interface SessionGit {
  /** Newest first; subjects scrubbed of secrets. */
  commits: Array<{ hash: string; subject: string }>;
  uncommitted: string[];
  /** What could not be read, for the log. */
  problems: string[];
}

/** The paths `git status --porcelain=v2` names as changed, staged, conflicted or untracked. */
export function changedPaths(porcelain: string): string[] {
  const paths: string[] = [];
  for (const line of porcelain.split('\n')) {
    // Ordinary (1), renamed or copied (2, "path<TAB>original"), unmerged (u) and untracked (?) entries.
    const fields = line.startsWith('1 ') ? 8 : line.startsWith('2 ') ? 9 : line.startsWith('u ') ? 10 : 0;
    if (fields > 0) {
      const rest = line.split(' ').slice(fields).join(' ');
      paths.push(rest.split('\t')[0] ?? rest);
    } else if (line.startsWith('? ')) paths.push(line.slice(2));
  }
  return paths;
}

export async function readSessionGit(
  root: string,
  startHead: string | undefined,
  runner: GitRunner = spawnGitRunner,
): Promise<SessionGit> {
  const problems: string[] = [];
  const [log, status] = await Promise.all([
    startHead
      ? runner.run(root, safeGit(['log', `-${WORK_COMMITS_KEPT}`, `--format=%h${FIELD}%s`, `${startHead}..HEAD`, '--']))
      : Promise.resolve(undefined),
    readStatus(root, runner),
  ]);
  let commits: SessionGit['commits'] = [];
  if (log && !log.ok) problems.push(log.error);
  else if (log) {
    commits = log.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [hash = '', subject = ''] = line.split(FIELD);
        return { hash, subject };
      });
  }
  let uncommitted: string[] = [];
  if (status.ok) uncommitted = changedPaths(status.stdout).slice(0, WORK_FILES_KEPT);
  else problems.push(status.error);
  // A subject or a file name may quote a token: scrubbed before the store holds it.
  await loadTokenFormats([...commits.map((c) => c.subject), ...uncommitted].join('\n'));
  return {
    commits: commits.map((c) => ({ hash: c.hash, subject: scrubString(c.subject) })),
    uncommitted: uncommitted.map(scrubString),
    problems,
  };
}
