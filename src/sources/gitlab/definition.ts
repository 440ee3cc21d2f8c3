// GitLab issues over GitLab's REST API v4 (gitlab.com, or a self-managed instance through its API URL). Nothing needs
// setting in a GitLab checkout: the project is its origin, the token the environment's or the GitLab CLI's.
import { defineSource } from '../contract.js';
import { apiPlan, issueSettings, type Workflow } from '../issues/issue-settings.js';

/** GitLab's scoped workflow labels: one of a scope at a time, so in progress and blocked replace each other. */
export const GITLAB_WORKFLOW: Workflow = { inProgress: 'workflow::in progress', blocked: 'workflow::blocked' };

export const definition = defineSource({
  name: 'gitlab',
  summary: "GitLab issues (the checkout's origin project, over the REST API)",
  config: (z) => ({
    ...issueSettings(z, GITLAB_WORKFLOW),
    /** The web host the API serves (GITLAB_HOST, a host or a URL as glab takes it): a checkout's origin must be on it. */
    host: z.optional(z.string().check(z.regex(/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?\/?$/, 'expected a host name'))),
    /** GROUP/SUBGROUP/PROJECT instead of the checkout's origin. */
    project: z.optional(z.string().check(z.regex(/^[\w.-]+(\/[\w.-]+)+$/, 'expected GROUP/PROJECT'))),
  }),
  // As the GitLab CLI names them; the token itself is read where it is, never written to config.
  env: { GITLAB_API_URL: 'api', GITLAB_HOST: 'host' },
  capabilities: {
    writes: ['start', 'done', 'block', 'reopen', 'note', 'add'],
    claims: 'assignee',
    pagination: true,
  },
  words: { statuses: { opened: 'todo', closed: 'done' } },
  plan: apiPlan(gitlabEndpoint),
});

// In the definition, not remote.ts: the hooks read definitions, and remote.ts reads files and throws source errors.

/** Where GitLab's REST API is, and the web host it serves. */
export interface GitLabEndpoint {
  /** `https://gitlab.com/api/v4`, or `https://HOST/api/v4` for a self-managed instance; no trailing slash. */
  api: string;
  /** The web host a checkout's origin must name, which glab knows the token by. */
  host: string;
}

/** A host as GITLAB_HOST gives it (`gitlab.example.com`, or a URL as glab also takes), with its scheme. */
function hostUrl(host: string): URL {
  return new URL(/^https?:\/\//.test(host) ? host : `https://${host}`);
}

/**
 * The one place GitLab's API is worked out, from the user's settings alone (GITLAB_API_URL or source.gitlab.api,
 * GITLAB_HOST or source.gitlab.host; neither: gitlab.com): a repository's origin never picks where the token goes.
 */
export function gitlabEndpoint(own: { api?: string | undefined; host?: string | undefined }): GitLabEndpoint {
  const web = hostUrl(own.host ?? 'gitlab.com');
  const api = (own.api ?? `${web.origin}/api/v4`).replace(/\/+$/, '');
  return { api, host: own.host === undefined ? new URL(api).host : web.host };
}

/** What to set when a checkout's origin is on `host` but the settings name another GitLab. */
export function endpointFixFor(host: string): string {
  return host === 'gitlab.com'
    ? 'if the project is on gitlab.com, unset GITLAB_API_URL and GITLAB_HOST (and source.gitlab.api and host in your config.json)'
    : `if ${host} is a GitLab you use, set GITLAB_HOST=${host} (or GITLAB_API_URL=https://${host}/api/v4, or source.gitlab.api in your config.json)`;
}
