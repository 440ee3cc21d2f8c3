// GitHub Issues' network side: the source over the REST API, what `install --source github` finds by itself, and the
// steps `doctor` shows (the repository, where the token came from — never the token —, the viewer, a real list call,
// the rate limit left).
import { optionsOf, defineAdapter, type OpenContext } from '../adapter-contract.js';
import { TaskSourceError } from '../../errors/task-source.js';
import { DEFAULT_LIST_CAP, listEndNote } from '../list-cap.js';
import type { Deadline } from '../../util/deadline.js';
import { githubClient, type GitHubClient } from './client.js';
import { definition, endpointFixFor, githubEndpoint } from './definition.js';
import { GitHubUser } from './issues.js';
import { issueOptions, resetLine } from './options.js';
import { parseRemoteUrl, readOriginUrl } from './remote.js';
import { githubSource, repoOf, type GitHubOptions } from './source.js';
import { findToken, noTokenFix, tokenFromEnv, tokenFromGh } from './token.js';
import { DEFAULT_LABEL_WORDS } from './words.js';

function optionsFor(ctx: OpenContext): GitHubOptions {
  const own = optionsOf(definition, ctx.source);
  // The plan's server is the API githubEndpoint gave for these settings.
  const { api, host } = githubEndpoint({
    api: ctx.plan.kind === 'remote' ? ctx.plan.servers[0] : undefined,
    host: own.host,
  });
  return { ...issueOptions(own, { api, host }, DEFAULT_LABEL_WORDS, ctx), repo: own.repo };
}

/** Doctor's real list call: the repository's open issues (the viewer's, unless all are read), and where a cap cut it. */
async function openIssues(
  client: GitHubClient,
  opts: GitHubOptions,
  at: { root: string; login: string; deadline: Deadline },
): Promise<string> {
  const { login } = at;
  const repo = repoOf(at.root, opts);
  const query = { state: 'open', ...(opts.issues === 'assigned' && login ? { assignee: login } : {}) };
  const { items, end } = await client.list(
    `/repos/${repo.owner}/${repo.repo}/issues`,
    query,
    at.deadline,
    opts.listCap,
  );
  const cut = end === 'complete' ? '' : ` — cut: ${listEndNote(end, opts.listCap ?? DEFAULT_LIST_CAP, items.length)}`;
  return `${items.length} open issue${items.length === 1 ? '' : 's'}${query.assignee ? ` assigned to ${login}` : ''} (pull requests included in the count)${cut}`;
}

export const adapter = defineAdapter({
  definition,
  open: (ctx) => githubSource(optionsFor(ctx), { cache: ctx.cache, log: ctx.log, env: ctx.env, root: ctx.projectRoot }),
  detect: async ({ env, cwd, gitRoot, userSource, deadline }) => {
    const own = (userSource.github ?? {}) as { api?: string; host?: string };
    const { api, host } = githubEndpoint({ api: env.GITHUB_API_URL ?? own.api, host: env.GH_HOST ?? own.host });
    const root = gitRoot ?? cwd;
    let url: string | undefined;
    try {
      url = readOriginUrl(root);
    } catch (err) {
      return { found: false, missing: err instanceof Error ? err.message : String(err) };
    }
    const remote = url ? parseRemoteUrl(url) : undefined;
    if (!remote)
      return {
        found: false,
        missing: `${root} has no GitHub origin: \`git remote add origin https://github.com/OWNER/REPO\``,
      };
    if (remote.host !== host)
      return {
        found: false,
        missing: `origin is on ${remote.host}, the GitHub API is ${api}: ${endpointFixFor(remote.host)}`,
      };
    const token = tokenFromEnv(host, env) ?? (await tokenFromGh(host, { env, deadline }));
    if (!token) return { found: false, missing: `no GitHub token for ${host}: ${noTokenFix(host)}` };
    return {
      found: true,
      entries: {},
      from: `${remote.owner}/${remote.repo} on ${host} (origin), token from ${token.from}`,
    };
  },
  doctorSteps: (_source, ctx) => {
    const opts = optionsFor(ctx);
    let client: ReturnType<typeof githubClient> | undefined;
    let login = '';
    const clientOf = () => {
      if (!client)
        throw new TaskSourceError('config', 'no GitHub token', { short: 'no token', fix: noTokenFix(opts.host) });
      return client;
    };
    return [
      {
        name: 'GitHub repository',
        run: async () => {
          const repo = repoOf(ctx.projectRoot, opts);
          return `${repo.owner}/${repo.repo} on ${repo.host}${opts.repo ? ' (source.github.repo)' : ` (origin ${readOriginUrl(ctx.projectRoot)})`}`;
        },
      },
      {
        name: 'GitHub token',
        run: async (deadline) => {
          const token = await findToken(opts.host, { env: ctx.env, log: ctx.log, deadline });
          // The API only from the person's settings, as the source's own (source.ts).
          client = githubClient({ ...opts, token: token.token, setByPerson: true, cache: ctx.cache, log: ctx.log });
          return `found in ${token.from}, sent only to ${opts.api}`;
        },
      },
      {
        name: 'GitHub viewer',
        run: async (deadline) => {
          const user = GitHubUser.safeParse(await clientOf().get('/user', {}, deadline));
          if (!user.success) throw new TaskSourceError('protocol', 'GET /user named no login', { short: 'no login' });
          login = user.data.login;
          return login;
        },
      },
      {
        name: 'GitHub issues',
        run: (deadline) => openIssues(clientOf(), opts, { root: ctx.projectRoot, login, deadline }),
      },
      {
        name: 'GitHub rate limit',
        run: async () => {
          const rate = clientOf().rateLeft();
          return rate
            ? `${rate.remaining} of ${rate.limit} requests left this hour, resets at ${resetLine(rate.resetAt)} UTC`
            : 'not told by the server';
        },
      },
    ];
  },
});
