// Jira Cloud's REST API v3 through the REST client every tracker shares: a handful of calls, so no client library
// (jira.js would bring its 1,400 generated models and its own zod into the network bundle, and its own request
// handling where this needs the caller's deadline and control of every header). A 429's Retry-After is waited out
// when it fits the deadline.
import type { z } from 'zod';
import type { Deadline } from '../../util/deadline.js';
import { parseAnswer } from '../parse.js';
import { restClient } from '../rest/client.js';
import { shownHome } from '../../home/dir.js';

/** Email and API token (Basic), or a bearer token (OAuth 2.0, a personal access token). */
export type JiraCredential = { kind: 'basic'; email: string; token: string } | { kind: 'bearer'; token: string };

export const JIRA_WORDS = {
  name: 'Jira',
  authFix: `set JIRA_EMAIL and JIRA_API_TOKEN (id.atlassian.com → Security → API tokens), or source.jira.email and source.jira.token in ${shownHome(['config.json'])}`,
  notFoundFix: 'check the issue key (ABC-123), the site (JIRA_BASE_URL) and that your account can see the project',
};

export interface JiraApi {
  /** The site, e.g. https://example.atlassian.net: what messages and breakers name. */
  readonly site: string;
  /** The rate-limit headers of the last answer, when the site sends them. */
  readonly rate: { remaining?: string | undefined; reset?: string | undefined };
  call<S extends z.ZodType>(
    what: string,
    req: { method?: 'GET' | 'POST' | 'PUT'; path: string; body?: unknown },
    schema: S,
    deadline: Deadline,
  ): Promise<z.output<S>>;
}

const authorization = (c: JiraCredential): string =>
  c.kind === 'basic' ? `Basic ${Buffer.from(`${c.email}:${c.token}`).toString('base64')}` : `Bearer ${c.token}`;

export function jiraApi(opts: { site: string; credential: JiraCredential; setByPerson: boolean }): JiraApi {
  const site = opts.site.replace(/\/+$/, '');
  const rate: JiraApi['rate'] = {};
  const rest = restClient({
    base: site,
    words: JIRA_WORDS,
    headers: { Authorization: authorization(opts.credential) },
    setByPerson: opts.setByPerson,
    inspect: (answer) => {
      rate.remaining = answer.headers.get('x-ratelimit-remaining') ?? undefined;
      rate.reset = answer.headers.get('x-ratelimit-reset') ?? undefined;
      return undefined;
    },
  });
  return {
    site,
    rate,
    async call(what, req, schema, deadline) {
      const answer = await rest.send({
        url: `${site}${req.path}`,
        method: req.method ?? 'GET',
        body: req.body,
        deadline,
      });
      const json = answer.status === 204 || answer.text === '' ? {} : rest.json(answer.text, what);
      return parseAnswer(schema, json, what, site);
    },
  };
}
