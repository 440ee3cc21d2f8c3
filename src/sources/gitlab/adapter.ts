// GitLab issues' network side: the source over the REST API v4, what `install --source gitlab` finds by itself, and
// the steps `doctor` shows (the project, where the token came from — never the token —, the viewer, a real list call,
// the rate limit left).
import { optionsOf, defineAdapter, type OpenContext } from '../adapter-contract.js';
import { TaskSourceError } from '../../errors/task-source.js';
import { issueOptions, resetLine } from '../github/options.js';
import { readOriginUrl } from '../github/remote.js';
import { DEFAULT_LIST_CAP, listEndNote } from '../list-cap.js';
import { gitlabClient, type GitLabClient } from './client.js';
import { definition, gitlabEndpoint } from './definition.js';
import { GITLAB_LABEL_WORDS, GitLabUser } from './issues.js';
import { filterQuery } from './refresh.js';
import { projectOf } from './remote.js';
import { gitlabSource, type GitLabOptions } from './source.js';
import { findToken, noTokenFix, tokenFromEnv, tokenFromGlab } from './token.js';

function optionsFor(ctx: OpenContext): GitLabOptions {
  const own = optionsOf(definition, ctx.source);
  // The plan's server is the API gitlabEndpoint gave for these settings.
  const { api, host } = gitlabEndpoint({
    api: ctx.plan.kind === 'remote' ? ctx.plan.servers[0] : undefined,
    host: own.host,
  });
  return { ...issueOptions(own, { api, host }, GITLAB_LABEL_WORDS, ctx), project: own.project };
}

export const adapter = defineAdapter({
  definition,
  open: (ctx) => gitlabSource(optionsFor(ctx), { cache: ctx.cache, log: ctx.log, env: ctx.env, root: ctx.projectRoot }),
  detect: async ({ env, cwd, gitRoot, userSource, deadline }) => {
    const own = (userSource.gitlab ?? {}) as { api?: string; host?: string; project?: string };
    const { api, host } = gitlabEndpoint({ api: env.GITLAB_API_URL ?? own.api, host: env.GITLAB_HOST ?? own.host });
    let project: ReturnType<typeof projectOf>;
    try {
      project = projectOf(gitRoot ?? cwd, { api, host, project: own.project });
    } catch (err) {
      const fix = err instanceof TaskSourceError && err.fix ? `: ${err.fix}` : '';
      return { found: false, missing: `${err instanceof Error ? err.message : String(err)}${fix}` };
    }
    const token = tokenFromEnv(env) ?? (await tokenFromGlab(host, { env, deadline }));
    if (!token) return { found: false, missing: `no GitLab token for ${host}: ${noTokenFix(host)}` };
    return {
      found: true,
      entries: {},
      from: `${project.path} on ${host} (${own.project ? 'source.gitlab.project' : 'origin'}), token from ${token.from}`,
    };
  },
  doctorSteps: (_source, ctx) => {
    const opts = optionsFor(ctx);
    let client: GitLabClient | undefined;
    let username = '';
    const clientOf = () => {
      if (!client)
        throw new TaskSourceError('config', 'no GitLab token', { short: 'no token', fix: noTokenFix(opts.host) });
      return client;
    };
    const path = () => `/projects/${encodeURIComponent(projectOf(ctx.projectRoot, opts).path)}`;
    return [
      { name: 'GitLab project', run: async () => projectLine(ctx.projectRoot, opts) },
      {
        name: 'GitLab token',
        run: async (deadline) => {
          const token = await findToken(opts.host, { env: ctx.env, log: ctx.log, deadline });
          // The API only from the person's settings, as the source's own (source.ts).
          client = gitlabClient({ ...opts, token, setByPerson: true, cache: ctx.cache, log: ctx.log });
          return `found in ${token.from}, sent only to ${opts.api}`;
        },
      },
      {
        name: 'GitLab viewer',
        run: async (deadline) => {
          const user = GitLabUser.safeParse(await clientOf().get('/user', {}, deadline));
          if (!user.success) throw new TaskSourceError('protocol', 'GET /user named no username', { short: 'no user' });
          username = user.data.username;
          return username;
        },
      },
      {
        name: 'GitLab issues',
        run: async (deadline) => {
          const assignee = opts.issues === 'assigned' ? username : undefined;
          const query = {
            state: 'opened',
            ...filterQuery({ assignee, labels: opts.labels, milestone: opts.milestone }),
          };
          const cap = opts.listCap ?? DEFAULT_LIST_CAP;
          const { items, end } = await clientOf().list(`${path()}/issues`, query, deadline, cap);
          const cut = end === 'complete' ? '' : ` — cut: ${listEndNote(end, cap, items.length)}`;
          return `${items.length} open issue${items.length === 1 ? '' : 's'}${assignee ? ` assigned to ${assignee}` : ''}${cut}`;
        },
      },
      {
        name: 'GitLab rate limit',
        run: async () => {
          const rate = clientOf().rateLeft();
          return rate
            ? `${rate.remaining} of ${rate.limit} requests left, resets at ${resetLine(rate.resetAt)} UTC`
            : 'not told by the server (no RateLimit-* headers: the instance may set no limit)';
        },
      },
    ];
  },
});

/** The project doctor reads, on which host, and what named it. */
function projectLine(root: string, opts: ReturnType<typeof optionsFor>): string {
  const { path: project, host } = projectOf(root, opts);
  return `${project} on ${host}${opts.project ? ' (source.gitlab.project)' : ` (origin ${readOriginUrl(root)})`}`;
}
