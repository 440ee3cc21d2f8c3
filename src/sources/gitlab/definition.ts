// GitLab issues over GitLab's REST API v4 (gitlab.com, or a self-managed instance through its API URL). Nothing needs
// setting in a GitLab checkout: the project is its origin, the token the environment's or the GitLab CLI's.
import { defineSource } from '../contract.js';

export const definition = defineSource({
  name: 'gitlab',
  summary: "GitLab issues (the checkout's origin project, over the REST API v4)",
  config: (z) => ({
    /** The REST API (GITLAB_API_URL): `https://HOST/api/v4`. */
    api: z.optional(z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })),
    /** The web host that API serves (GITLAB_HOST, a host or a URL as glab takes it): a checkout's origin must be on it. */
    host: z.optional(z.string().check(z.regex(/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?\/?$/, 'expected a host name'))),
    /** GROUP/SUBGROUP/PROJECT instead of the checkout's origin. */
    project: z.optional(
      z.string().check(z.regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, 'expected GROUP/PROJECT (subgroups too)')),
    ),
    /** `assigned`: the open issues assigned to you; `all`: every open issue. */
    issues: z._default(z.enum(['assigned', 'all']), 'assigned'),
    labels: z._default(z.array(z.string().check(z.minLength(1))), []),
    milestone: z.optional(z.string().check(z.minLength(1))),
    /** A label and the priority it means, instead of `priority::high` and P0–P3. */
    priorityLabels: z.optional(
      z.record(z.string().check(z.minLength(1)), z.enum(['low', 'medium', 'high', 'urgent', 'critical'])),
    ),
    inProgressLabel: z._default(z.string().check(z.minLength(1)), 'workflow::in progress'),
    blockedLabel: z._default(z.string().check(z.minLength(1)), 'workflow::blocked'),
  }),
  // As the GitLab CLI names them; the token itself is read where it is, never written to config.
  env: { GITLAB_API_URL: 'api', GITLAB_HOST: 'host' },
  capabilities: {
    writes: ['start', 'done', 'block', 'reopen', 'note', 'add'],
    claims: 'assignee',
    pagination: true,
  },
  words: { statuses: { opened: 'todo', closed: 'done' } },
  // The API only ever comes from the user's settings: a repository's remote never picks where the token goes.
  plan: (_shared, { own }) => ({
    kind: 'remote',
    servers: [
      gitlabEndpoint({
        api: typeof own.api === 'string' ? own.api : undefined,
        host: typeof own.host === 'string' ? own.host : undefined,
      }).api,
    ],
  }),
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
