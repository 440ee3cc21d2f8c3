// Azure DevOps' REST API over Node's fetch: a handful of Work Item Tracking calls, so no client library (Microsoft's
// azure-devops-node-api resolves every route through the server's location service first, a request more per call).
// The personal access token goes as Basic auth with an empty user, to the organization URL's origin only. A rate
// limit (`Retry-After` on a 429, or on an answer Azure DevOps delayed; `X-RateLimit-*`) is remembered in the cache, so
// no process asks again until it ends, and waited out when it fits the caller's deadline.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Cache } from '../../cache/cache.js';
import { kvGet, kvSet } from '../../cache/kv.js';
import { TaskSourceError } from '../../errors/task-source.js';
import type { Logger } from '../../log/logger.js';
import type { Deadline } from '../../util/deadline.js';
import { MAX_WAIT_MS, parseRetryAfter } from '../../util/retry-after.js';
import { answerJson, httpRequest, type HttpAnswer } from '../http-request.js';
import { rateLimited, statusError, type ServiceWords } from '../http-status.js';
import { parseAnswer } from '../parse.js';
import { obeyingRateLimit } from '../retry.js';
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

export function azureApi(where: AzureWhere, token: AzureToken, ctx: { cache: Cache; log: Logger }): AzureApi {
  const place = `${where.orgUrl}/${where.project}`;
  const words = azureWords(where);
  const authorization = `Basic ${Buffer.from(`:${token.token}`).toString('base64')}`;
  // A lockout is kept per token and organization, by a hash: never the token.
  const identity = createHash('sha256').update(`${where.orgUrl}\n${token.token}`).digest('hex').slice(0, 24);
  const limitKey = `azure-devops:rate-limited:${identity}`;
  const rate: AzureRate = {};
  const lockOut = (waitMs: number): void => {
    kvSet(ctx.cache, limitKey, Date.now() + waitMs, Math.ceil(waitMs / 1000));
    ctx.log.warn({ place, until: Date.now() + waitMs }, 'Azure DevOps rate limit reached');
  };
  const send = async (what: string, req: AzureRequest, deadline: Deadline): Promise<unknown> => {
    const until = kvGet<number>(ctx.cache, limitKey);
    if (until !== undefined && until > Date.now() && until - Date.now() <= MAX_WAIT_MS)
      throw rateLimited(place, 'Azure DevOps', until - Date.now());
    const answer = await httpRequest({
      url: urlOf(where, req),
      method: req.method ?? 'GET',
      headers: {
        authorization,
        // Without it a refused token is answered 203 with a sign-in page instead of 401.
        'x-tfs-fedauthredirect': 'Suppress',
        ...(req.patch ? { 'content-type': 'application/json-patch+json' } : {}),
      },
      body: req.body,
      deadline,
      place,
    });
    noteRate(rate, answer);
    if (answer.status === 203) throw statusError({ ...answer, status: 401, text: '' }, place, words);
    if (answer.status === 404 && /"typeKey"\s*:\s*"ProjectDoesNotExist/.test(answer.text)) throw noProject(where);
    if (answer.status < 200 || answer.status >= 300) {
      const error = statusError(answer, place, words);
      if (error.kind === 'rate_limited' && error.retryAfterMs !== undefined) lockOut(error.retryAfterMs);
      throw error;
    }
    // A delayed token is answered with a Retry-After too: the next request, from any process, waits it out.
    const delayed = parseRetryAfter(answer.headers.get('retry-after'));
    if (delayed) lockOut(delayed);
    return answer.status === 204 || answer.text === '' ? {} : answerJson(answer, place, what);
  };
  return {
    where,
    place,
    rate,
    call: (what, req, schema, deadline) =>
      obeyingRateLimit(deadline, async () => parseAnswer(schema, await send(what, req, deadline), what, place)),
  };
}
