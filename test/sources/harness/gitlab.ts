// GitLab issues against its loopback stand-in held to GitLab's shapes (npm @gitbeaker/core's model of API v4): a
// checkout whose origin is the project (in a subgroup), the token in the environment, and the stand-in seeded, made
// to fail, or answering one item off its shape.
import { refusedUrl } from '../../helpers/fault-server.js';
import { git, makeRepo } from '../../helpers/git.js';
import { startGitLabStandin, type GitLabStandin, type StandinIssue } from '../../helpers/gitlab-standin.js';
import { tempHome } from './context.js';
import type { Failure, Harness, Opened, SeedTask } from './types.js';

const TOKEN = 'glpat-dana-0123456789abcdef';
const PROJECT = 'acme/platform/widgets';

const issue = (iid: number, t: Omit<SeedTask, 'priority'> & { priority?: SeedTask['priority'] }): StandinIssue => ({
  iid,
  title: t.title,
  description: t.description ?? null,
  state: t.status === 'done' ? 'closed' : 'opened',
  labels: [
    ...(t.priority ? [`priority::${t.priority}`] : []),
    ...(t.status === 'in_progress' ? ['workflow::in progress'] : []),
  ],
  assignees: ['dana'],
});

/** The stand-in compiles its schemas on first use: compiled once, before any call is timed. */
async function warm(gl: GitLabStandin): Promise<void> {
  const headers = { 'private-token': TOKEN };
  const at = `${gl.url}/projects/${encodeURIComponent(PROJECT)}/issues`;
  for (const p of [`${gl.url}/user`, `${at}?state=all`, `${at}/1`, `${at}/1/notes`])
    await (await fetch(p, { headers })).arrayBuffer();
}

function fault(gl: GitLabStandin, f: Failure | { kind: 'bad-item' }): void {
  if (f.kind === 'status')
    gl.fault({ status: f.status, ...(f.retryAfter ? { headers: { 'retry-after': f.retryAfter } } : {}) });
  else if (f.kind === 'malformed') gl.fault({ status: 200, body: '{"data": [unterminated' });
  else if (f.kind === 'bad-item') {
    gl.project(PROJECT).issues.push(
      { ...issue(1, { title: 'Broken', status: 'todo' }), raw: { iid: 'one', title: 'Broken' } },
      issue(2, { title: 'Still shown', status: 'todo' }),
    );
  }
}

async function opened(tasks: SeedTask[], extra: number, failure?: Failure | { kind: 'bad-item' }): Promise<Opened> {
  const home = tempHome('th-conf-gitlab-');
  const repo = makeRepo({ name: 'widgets' });
  git(repo.dir, 'remote', 'add', 'origin', `git@gitlab.example.com:${PROJECT}.git`);
  const gl = await startGitLabStandin({ tokens: { [TOKEN]: 'dana' } });
  gl.project(PROJECT).issues.push(
    ...tasks.map((t, i) => issue(i + 1, t)),
    ...Array.from({ length: extra }, (_, i) =>
      issue(tasks.length + i + 1, { title: `Bulk issue ${i}`, status: 'todo', priority: 'low' }),
    ),
  );
  await warm(gl);
  if (failure && failure.kind !== 'refused' && failure.kind !== 'bad-token') fault(gl, failure);
  const api = failure?.kind === 'refused' ? (await refusedUrl()).replace(/\/mcp$/, '') : gl.url;
  const config = { source: { adapter: 'gitlab', gitlab: { api, host: 'gitlab.example.com' } } };
  const env = { GITLAB_TOKEN: failure?.kind === 'bad-token' ? 'glpat-wrong-000000000000' : TOKEN };
  const source = home.open(config, repo.dir, { env });
  return {
    source,
    scope: { projectRoot: repo.dir, project: 'widgets', branch: 'main' },
    ids: tasks.map((_, i) => String(i + 1)),
    close: async () => {
      await source.close();
      await gl.close();
      repo.cleanup();
      home.close();
      // Whatever the case, every request the source sent was one GitLab's shapes allow.
      if (gl.violations.length > 0) throw new Error(`the GitLab stand-in saw: ${gl.violations.join('; ')}`);
    },
  };
}

export const gitlab: Harness = {
  name: 'gitlab',
  // Short enough that a Retry-After of seconds is refused at once, not waited out.
  timeoutMs: 5_000,
  open: (tasks, extra = 0) => opened(tasks, extra),
  failing: (failure) => opened([], 0, failure),
  badItem: () => opened([], 0, { kind: 'bad-item' }),
};
