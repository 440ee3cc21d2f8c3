// A refresh that does not read every issue again. GitLab ignores `If-None-Match`, so the open issues last read are
// kept in the cache with the latest `updated_at` among them; the next read asks only for what changed since
// (`updated_after`, every state and assignee, so a closed or reassigned issue is seen leaving) and merges it. A full
// read comes every FULL_EVERY_MS, and whenever nothing is kept: it sees what a change list cannot (a deleted issue).
import type { Cache } from '../../cache/cache.js';
import { kvGet, kvSet } from '../../cache/kv.js';
import type { Logger } from '../../log/logger.js';
import type { Deadline } from '../../util/deadline.js';
import { labelKey } from '../github/words.js';
import type { ListCap, ListEnd } from '../list-cap.js';
import { lenientList } from '../parse.js';
import type { GitLabClient } from './client.js';
import { GitLabIssue, labelNames } from './issues.js';

/** A full read at least this often: deletions and moves out of view leave no trace in a change list. */
export const FULL_EVERY_MS = 15 * 60_000;
const KEPT_TTL_S = 24 * 3600;

/** Which of a project's open issues are the user's tasks. */
export interface IssueFilter {
  /** The viewer's username when only their issues are read. */
  assignee?: string | undefined;
  labels: readonly string[];
  milestone?: string | undefined;
}

interface Kept {
  /** The latest `updated_at` of any issue read: the next change list starts there. */
  mark: string;
  fullAt: number;
  issues: GitLabIssue[];
}

export interface ReadIssues {
  issues: GitLabIssue[];
  left: string[];
  end: ListEnd;
}

/** The list query the filter means: GitLab's own names (`assignee_username`, `labels` all of, `milestone` by title). */
export function filterQuery(f: IssueFilter): Record<string, string> {
  return {
    ...(f.assignee ? { assignee_username: f.assignee } : {}),
    ...(f.labels.length > 0 ? { labels: f.labels.join(',') } : {}),
    ...(f.milestone ? { milestone: f.milestone } : {}),
  };
}

function matches(issue: GitLabIssue, f: IssueFilter): boolean {
  const labels = new Set(labelNames(issue).map(labelKey));
  return (
    issue.state === 'opened' &&
    (!f.assignee || (issue.assignees ?? []).some((a) => a.username === f.assignee)) &&
    f.labels.every((l) => labels.has(labelKey(l))) &&
    (!f.milestone || issue.milestone?.title === f.milestone)
  );
}

const latest = (issues: readonly GitLabIssue[], from = ''): string =>
  issues.reduce((m, i) => (Date.parse(i.updated_at) > (Date.parse(m) || 0) ? i.updated_at : m), from);

export interface RefreshContext {
  client: GitLabClient;
  cache: Cache;
  log: Logger;
  /** `/projects/<id>`: the project the list is of. */
  path: string;
  cap: ListCap;
}

/** The open issues the filter selects: the kept ones with what changed since, or a full read. */
export async function readIssues(r: RefreshContext, f: IssueFilter, deadline: Deadline): Promise<ReadIssues> {
  const key = `gitlab:issues:${r.client.identity}:${r.path}:${JSON.stringify(filterQuery(f))}`;
  const kept = kvGet<Kept>(r.cache, key);
  if (kept?.mark && Date.now() - kept.fullAt < FULL_EVERY_MS) {
    // A millisecond past the mark (`updated_after` is inclusive): a quiet refresh is then answered `[]`, not the issue
    // at the mark. One written in that same millisecond but not yet read is the full read's to find.
    const after = new Date(Date.parse(kept.mark) + 1).toISOString();
    const query = { state: 'all', updated_after: after, order_by: 'updated_at', sort: 'asc' };
    const changed = await r.client.list(`${r.path}/issues`, query, deadline, r.cap);
    if (changed.end === 'complete') {
      const { items: issues, left } = lenientList(GitLabIssue).parse(changed.items);
      const seen = new Set(issues.map((i) => i.iid));
      const merged = [...kept.issues.filter((i) => !seen.has(i.iid)), ...issues.filter((i) => matches(i, f))];
      const next: Kept = { ...kept, mark: latest(issues, kept.mark), issues: merged };
      if (issues.length > 0) kvSet(r.cache, key, next, KEPT_TTL_S);
      return { issues: merged, left, end: 'complete' };
    }
    r.log.debug({ path: r.path, end: changed.end }, 'GitLab change list cut short: reading the whole list');
  }
  const listed = await r.client.list(`${r.path}/issues`, { state: 'opened', ...filterQuery(f) }, deadline, r.cap);
  const { items: issues, left } = lenientList(GitLabIssue).parse(listed.items);
  const mine = issues.filter((i) => matches(i, f));
  // Only a list read whole is kept: a change list merged into a cut one would never fill its gap.
  if (listed.end === 'complete')
    kvSet(r.cache, key, { mark: latest(issues), fullAt: Date.now(), issues: mine } satisfies Kept, KEPT_TTL_S);
  return { issues: mine, left, end: listed.end };
}
