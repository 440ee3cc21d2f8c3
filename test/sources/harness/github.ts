// GitHub Issues against its loopback stand-in held to GitHub's OpenAPI description: a checkout whose origin is the
// repository, the token in the environment, and the stand-in seeded, made to fail, or answering one item off its shape.
import { refusedUrl } from '../../helpers/fault-server.js';
import { git, makeRepo } from '../../helpers/git.js';
import { startGitHubStandin, type GitHubStandin, type StandinIssue } from '../../helpers/github-standin.js';
import { tempHome } from './context.js';
import type { Failure, Harness, Opened, SeedTask } from './types.js';

const TOKEN = 'gh-token-dana';
const REPO = 'acme/widgets';
/** The warm-up's own issue, gone before the suite asks anything. */
const WARM = 8888;

const issue = (number: number, t: Omit<SeedTask, 'priority'> & { priority?: SeedTask['priority'] }): StandinIssue => ({
  number,
  title: t.title,
  body: t.description ?? null,
  state: t.status === 'done' ? 'closed' : 'open',
  ...(t.status === 'done' ? { state_reason: 'completed' } : {}),
  labels: [...(t.priority ? [`priority: ${t.priority}`] : []), ...(t.status === 'in_progress' ? ['in progress'] : [])],
  assignees: ['dana'],
});

/** The stand-in checks answers against schemas it compiles on first use: compiled once, before any call is timed. */
async function warm(gh: GitHubStandin): Promise<void> {
  const headers = { authorization: `Bearer ${TOKEN}`, accept: 'application/vnd.github+json', 'user-agent': 'warm' };
  const { issues } = gh.repo(REPO);
  const closed = { ...issue(WARM, { title: 'Warm-up', status: 'done' }), assignees: [] };
  issues.push(closed);
  const paths = ['/user', `/repos/${REPO}/issues?state=all`, `/repos/${REPO}/issues/${WARM}`];
  for (const p of [...paths, `${paths[2]}/comments`]) await (await fetch(`${gh.url}${p}`, { headers })).arrayBuffer();
  issues.splice(issues.indexOf(closed), 1);
}

/** The stand-in's faults for the suite's failures (a refused connection and a bad token are set up by `opened`). */
function fault(gh: GitHubStandin, f: Failure | { kind: 'bad-item' }): void {
  if (f.kind === 'status')
    gh.fault({ status: f.status, ...(f.retryAfter ? { headers: { 'retry-after': f.retryAfter } } : {}) });
  else if (f.kind === 'malformed') gh.fault({ status: 200, body: '{"data": [unterminated' });
  else if (f.kind === 'bad-item') {
    const { issues } = gh.repo(REPO);
    issues.push(
      { ...issue(1, { title: 'Broken', status: 'todo' }), raw: { number: 'one', title: 'Broken' } },
      issue(2, { title: 'Still shown', status: 'todo' }),
    );
  }
}

async function opened(tasks: SeedTask[], extra: number, failure?: Failure | { kind: 'bad-item' }): Promise<Opened> {
  const home = tempHome('th-conf-github-');
  const repo = makeRepo({ name: 'widgets' });
  git(repo.dir, 'remote', 'add', 'origin', `https://github.com/${REPO}.git`);
  const gh = await startGitHubStandin({ tokens: { [TOKEN]: 'dana' } });
  const { issues } = gh.repo(REPO);
  issues.push(
    ...tasks.map((t, i) => issue(i + 1, t)),
    ...Array.from({ length: extra }, (_, i) =>
      issue(tasks.length + i + 1, { title: `Bulk issue ${i}`, status: 'todo', priority: 'low' }),
    ),
  );
  await warm(gh);
  if (failure && failure.kind !== 'refused' && failure.kind !== 'bad-token') fault(gh, failure);
  const api = failure?.kind === 'refused' ? (await refusedUrl()).replace(/\/mcp$/, '') : gh.url;
  const config = { source: { adapter: 'github', github: { api, host: 'github.com' } } };
  const env = { GH_TOKEN: failure?.kind === 'bad-token' ? 'wrong-token-0000' : TOKEN };
  const source = home.open(config, repo.dir, { env });
  return {
    source,
    scope: { projectRoot: repo.dir, project: 'widgets', branch: 'main' },
    ids: tasks.map((_, i) => String(i + 1)),
    close: async () => {
      await source.close();
      await gh.close();
      repo.cleanup();
      home.close();
      // Whatever the case, every request the source sent was one GitHub's description allows.
      if (gh.violations.length > 0) throw new Error(`the GitHub stand-in saw: ${gh.violations.join('; ')}`);
    },
  };
}

export const github: Harness = {
  name: 'github',
  // Short enough that a Retry-After of seconds is refused at once, not waited out.
  timeoutMs: 5_000,
  open: (tasks, extra = 0) => opened(tasks, extra),
  failing: (failure) => opened([], 0, failure),
  badItem: () => opened([], 0, { kind: 'bad-item' }),
};
