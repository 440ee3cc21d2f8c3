// Azure DevOps' REST API through the REST client every tracker shares: a handful of Work Item Tracking calls, so no
// client library (Microsoft's azure-devops-node-api resolves every route through the server's location service first,
// a request more per call). The personal access token goes as Basic auth with an empty user, to the organization
// URL's origin only, over https unless the person set a plain-http URL themselves. A rate limit (`Retry-After` on a
// 429, or on an answer Azure DevOps delayed; `X-RateLimit-*`) is remembered in the cache, so no process asks again
// until it ends, and waited out when it fits the caller's deadline.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Cache } from '../../cache/cache.js';
import { TaskSourceError } from '../../errors/task-source.js';
import type { Logger } from '../../log/logger.js';
import type { Deadline } from '../../util/deadline.js';
import { parseRetryAfter } from '../../util/retry-after.js';
import { parseAnswer } from '../parse.js';
import { restClient, type RestClient } from '../rest/client.js';
import type { HttpAnswer } from '../rest/http.js';
import { statusError, type ServiceWords } from '../rest/status.js';
import { AZURE_TOKEN_FIX, type AzureToken, type AzureWhere } from './access.js';

/** The versions of the resources called, as Microsoft's clients name them (test/fixtures/azure-devops holds them). */
export const API_VERSION = { wit: '7.1', comments: '7.1-preview.3', connectionData: '7.1-preview.1' } as const;

export interface AzureRate {
  limit?: string | undefined;
  remaining?: string | undefined;
  reset?: string | undefined;
}

export interface AzureRequest {
  method?: 'GET' | 'POST' | 'PATCH';
  /** Under the project (`/_apis/wit/wiql`), or under the organization when `org` is set. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  version: string;
  /** A JSON Patch document: sent as application/json-patch+json. */
  patch?: boolean;
  org?: boolean;
}

export interface AzureApi {
  readonly where: AzureWhere;
  /** The project's API root, what messages and breakers name. */
  readonly place: string;
  readonly rate: AzureRate;
  call<S extends z.ZodType>(what: string, req: AzureRequest, schema: S, deadline: Deadline): Promise<z.output<S>>;
}

export const azureWords = (where: AzureWhere): ServiceWords => ({
  name: 'Azure DevOps',
  authFix: `${AZURE_TOKEN_FIX}; the token must belong to an account of ${where.orgUrl}`,
  notFoundFix: `check the work item id, and that project ${where.project} exists at ${where.orgUrl} (source.azure-devops.project, AZURE_DEVOPS_ORG_URL) and your account can see it`,
});

/** TF200016: the project the settings or the origin name is not one the organization has (or the token sees). */
const noProject = (where: AzureWhere): TaskSourceError =>
  new TaskSourceError(
    'config',
    `Azure DevOps has no project ${where.project} at ${where.orgUrl} that this token sees`,
    {
      short: 'no such project',
      place: where.orgUrl,
      status: 404,
      fix: `set source.azure-devops.project to a project of ${where.orgUrl} (this one came from ${where.from})`,
    },
  );

function noteRate(rate: AzureRate, answer: HttpAnswer): void {
  if (!answer.headers.has('x-ratelimit-remaining')) return;
  rate.limit = answer.headers.get('x-ratelimit-limit') ?? undefined;
  rate.remaining = answer.headers.get('x-ratelimit-remaining') ?? undefined;
  rate.reset = answer.headers.get('x-ratelimit-reset') ?? undefined;
}

function urlOf(where: AzureWhere, req: AzureRequest): string {
  const root = req.org ? where.orgUrl : `${where.orgUrl}/${encodeURIComponent(where.project)}`;
  const url = new URL(`${root}${req.path}`);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  url.searchParams.set('api-version', req.version);
  return url.href;
}

/** What an answer means in Azure DevOps' terms before its status is judged. */
function inspect(
  where: AzureWhere,
  rest: RestClient,
  answer: HttpAnswer,
  rate: AzureRate,
): TaskSourceError | undefined {
  noteRate(rate, answer);
  // Without x-tfs-fedauthredirect a refused token is answered 203 with a sign-in page instead of 401.
  if (answer.status === 203) return statusError({ ...answer, status: 401, text: '' }, rest.place, azureWords(where));
  if (answer.status === 404 && /"typeKey"\s*:\s*"ProjectDoesNotExist/.test(answer.text)) return noProject(where);
  // A delayed token is answered with a Retry-After too: the next request, from any process, waits it out.
  const delayed = answer.status < 300 ? parseRetryAfter(answer.headers.get('retry-after')) : undefined;
  if (delayed) rest.lockOut(delayed);
  return undefined;
}

export function azureApi(where: AzureWhere, token: AzureToken, ctx: { cache: Cache; log: Logger }): AzureApi {
  const place = `${where.orgUrl}/${where.project}`;
  // A lockout is kept per token and organization, by a hash: never the token.
  const identity = createHash('sha256').update(`${where.orgUrl}\n${token.token}`).digest('hex').slice(0, 24);
  const rate: AzureRate = {};
  const rest: RestClient = restClient({
    base: where.orgUrl,
    place,
    words: azureWords(where),
    headers: {
      authorization: `Basic ${Buffer.from(`:${token.token}`).toString('base64')}`,
      'x-tfs-fedauthredirect': 'Suppress',
    },
    // An organization URL read from the repository's origin is https; plain http only when the person set it.
    setByPerson: where.orgUrlSetBy !== 'origin',
    httpsFix: `set AZURE_DEVOPS_ORG_URL=${where.orgUrl.replace(/^http:/, 'https:')}, or to this plain-http URL yourself if the server speaks nothing else`,
    lockout: { cache: ctx.cache, log: ctx.log, key: `azure-devops:rate-limited:${identity}` },
    inspect: (answer) => inspect(where, rest, answer, rate),
  });
  return {
    where,
    place,
    rate,
    async call(what, req, schema, deadline) {
      const headers: Record<string, string> = req.patch ? { 'content-type': 'application/json-patch+json' } : {};
      const answer = await rest.send({
        url: urlOf(where, req),
        method: req.method ?? 'GET',
        headers,
        body: req.body,
        deadline,
      });
      const json = answer.status === 204 || answer.text === '' ? {} : rest.json(answer.text, what);
      return parseAnswer(schema, json, what, place);
    },
  };
}
