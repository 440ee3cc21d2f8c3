// The JSON GitHub answers with, built whole (every field its description requires) from the stand-in's few facts.
export interface StandinIssue {
  number: number;
  title: string;
  body?: string | null;
  state: 'open' | 'closed';
  state_reason?: string | null;
  labels: string[];
  assignees: string[];
  /** A pull request: the issues list returns those too. */
  pull?: boolean;
  milestone?: number;
  id?: number;
  created_at?: string;
  updated_at?: string;
  /** Sent instead of the built JSON: an item GitHub words oddly. */
  raw?: unknown;
}

const STAMP = '2026-11-01T10:00:00Z';

export function userJson(login: string, base: string, full = false): Record<string, unknown> {
  const url = `${base}/users/${login}`;
  const simple = {
    login,
    id: [...login].reduce((n, c) => n * 31 + c.charCodeAt(0), 7) % 1_000_000,
    node_id: `U_${login}`,
    avatar_url: `https://avatars.example.invalid/${login}`,
    gravatar_id: '',
    url,
    html_url: `https://github.example.invalid/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'User',
    site_admin: false,
  };
  if (!full) return simple;
  return {
    ...simple,
    name: login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 1,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: STAMP,
    updated_at: STAMP,
  };
}

export function labelJson(name: string, repo: string, base: string): Record<string, unknown> {
  return {
    id: [...name].reduce((n, c) => n * 31 + c.charCodeAt(0), 11) % 1_000_000_000,
    node_id: `LA_${Buffer.from(name).toString('hex')}`,
    url: `${base}/repos/${repo}/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color: 'ededed',
    default: false,
  };
}

export function issueJson(i: StandinIssue, repo: string, base: string): Record<string, unknown> {
  const url = `${base}/repos/${repo}/issues/${i.number}`;
  const html = `https://github.example.invalid/${repo}/${i.pull ? 'pull' : 'issues'}/${i.number}`;
  const assignees = i.assignees.map((a) => userJson(a, base));
  return {
    id: i.id ?? i.number + 500_000,
    node_id: `I_${i.number}`,
    url,
    repository_url: `${base}/repos/${repo}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: html,
    number: i.number,
    state: i.state,
    state_reason: i.state_reason ?? null,
    title: i.title,
    body: i.body ?? null,
    user: userJson('octocat', base),
    labels: i.labels.map((l) => labelJson(l, repo, base)),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: 0,
    ...(i.pull
      ? {
          pull_request: {
            url: `${base}/repos/${repo}/pulls/${i.number}`,
            html_url: html,
            diff_url: null,
            patch_url: null,
          },
        }
      : {}),
    closed_at: i.state === 'closed' ? (i.updated_at ?? STAMP) : null,
    created_at: i.created_at ?? STAMP,
    updated_at: i.updated_at ?? STAMP,
    author_association: 'OWNER',
  };
}

export function commentJson(
  id: number,
  body: string,
  login: string,
  repo: string,
  number: number,
  base: string,
): Record<string, unknown> & { url: string } {
  const url = `${base}/repos/${repo}/issues/comments/${id}`;
  return {
    id,
    node_id: `IC_${id}`,
    url,
    html_url: `https://github.example.invalid/${repo}/issues/${number}#issuecomment-${id}`,
    body,
    user: userJson(login, base),
    created_at: STAMP,
    updated_at: STAMP,
    issue_url: `${base}/repos/${repo}/issues/${number}`,
    author_association: 'OWNER',
  };
}
