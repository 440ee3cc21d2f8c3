// GitHub Issues over GitHub's REST API (github.com, or a GitHub Enterprise Server through its API URL). Nothing needs
// setting in a GitHub checkout: the repository is its origin, the token the environment's or the GitHub CLI's.
import { defineSource } from '../contract.js';
import { apiPlan, issueSettings, PLAIN_WORKFLOW } from '../issues/issue-settings.js';

export const definition = defineSource({
  name: 'github',
  summary: "GitHub Issues (the checkout's origin repository, over the REST API)",
  config: (z) => ({
    ...issueSettings(z, PLAIN_WORKFLOW),
    /** The web host that API serves (GH_HOST): a checkout's origin must be on it. */
    host: z.optional(z.string().check(z.regex(/^[A-Za-z0-9.-]+(:\d+)?$/, 'expected a host name'))),
    /** OWNER/REPO instead of the checkout's origin. */
    repo: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected OWNER/REPO'))),
  }),
  // As GitHub Actions and the GitHub CLI name them; the token itself is read where it is, never written to config.
  env: { GITHUB_API_URL: 'api', GH_HOST: 'host' },
  capabilities: {
    writes: ['start', 'done', 'block', 'reopen', 'note', 'add'],
    claims: 'assignee',
    conditional: true,
    pagination: true,
  },
  words: { statuses: { open: 'todo', closed: 'done' } },
  plan: apiPlan(githubEndpoint),
});

// In the definition, not remote.ts: the hooks read definitions, and remote.ts reads files and throws source errors.

/** Where GitHub's REST API is, and the web host it serves. */
export interface GitHubEndpoint {
  /** `https://api.github.com`, or `https://HOST/api/v3` for a GitHub Enterprise Server; no trailing slash. */
  api: string;
  /** The web host a checkout's origin must name, which `gh auth token --hostname` knows the token by. */
  host: string;
}

/**
 * The one place GitHub's API is worked out, from the user's settings alone (GITHUB_API_URL or source.github.api, GH_HOST
 * or source.github.host; neither: github.com): a repository's origin never picks where the token goes.
 */
export function githubEndpoint(own: { api?: string | undefined; host?: string | undefined }): GitHubEndpoint {
  const api = (own.api ?? apiFor(own.host ?? 'github.com')).replace(/\/+$/, '');
  return { api, host: own.host ?? hostOfApi(api) };
}

/** The REST API of a GitHub host: api.github.com for github.com, `/api/v3` on the host for GitHub Enterprise Server. */
export function apiFor(host: string): string {
  return host === 'github.com' || host === 'www.github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
}

/** The web host an API URL belongs to, which `gh auth token --hostname` knows it by. */
export function hostOfApi(api: string): string {
  const u = new URL(api);
  return u.hostname === 'api.github.com' ? 'github.com' : u.host;
}

/**
 * What to set when a checkout's origin is on `host` but the settings name another GitHub: that host's API, which for
 * github.com is api.github.com (also the default, when neither variable is set).
 */
export function endpointFixFor(host: string): string {
  return host === 'github.com' || host === 'www.github.com'
    ? `if the repository is on github.com, unset GITHUB_API_URL and GH_HOST (and source.github.api and host in your config.json): github.com's API is ${apiFor(host)}`
    : `if ${host} is a GitHub Enterprise Server you use, set GITHUB_API_URL=${apiFor(host)} (or source.github.api in your config.json)`;
}
