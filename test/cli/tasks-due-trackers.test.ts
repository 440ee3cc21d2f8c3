// A due date in Linear and Jira, through the CLI and the built SessionStart hook against each tracker's loopback
// stand-in: read onto the task (`tasks show`, the session's context), written by `tasks add|edit --due`, cleared by
// `--due ""`, with no note that it was not kept; GitHub Issues, which have no due date, still get that note.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { git, makeRepo, type TempRepo } from '../helpers/git.js';
import { startGitHubStandin, type GitHubStandin } from '../helpers/github-standin.js';
import { hookEnv, runHook, sessionStartInput, tempHome } from '../helpers/hooks.js';
import { startJiraStandin, type JiraStandin } from '../helpers/jira-standin.js';
import { startLinearStandin, type LinearStandin } from '../helpers/linear-standin.js';
import { runCli, type CliRun } from '../helpers/cli.js';

let linear: LinearStandin;
let jira: JiraStandin;
let repo: TempRepo;
let home: { home: string; cleanup(): void };

beforeAll(async () => {
  [linear, jira] = await Promise.all([startLinearStandin(), startJiraStandin()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([linear.close(), jira.close()]);
});
afterEach(() => {
  expect(linear.invalid).toEqual([]);
  expect(jira.invalid).toEqual([]);
  linear.reset();
  jira.reset();
  repo.cleanup();
  home.cleanup();
});

const cli = (env: Record<string, string>, ...args: string[]): Promise<CliRun> =>
  runCli(args, { cwd: repo.dir, env: { ...hookEnv(home.home, env), HOME: home.home, NO_COLOR: '1' } });

/** Each tracker: its source's config, an issue seeded with a due date, and the due date its stand-in keeps. */
const trackers = [
  {
    name: 'Linear',
    source: () => ({ adapter: 'linear', linear: { url: linear.graphqlUrl, apiKey: linear.apiKey } }),
    seed: (title: string, dueDate: string) => linear.addIssue({ title, dueDate }).identifier,
    kept: (id: string) => linear.issues.find((i) => i.identifier === id)?.dueDate,
    last: () => linear.issues.at(-1)?.identifier,
  },
  {
    name: 'Jira',
    source: () => ({ adapter: 'jira', jira: { url: jira.site, email: jira.email, token: jira.token, project: 'ABC' } }),
    seed: (summary: string, duedate: string) => jira.addIssue({ summary, duedate }).key,
    kept: (id: string) => jira.issues.find((i) => i.key === id)?.duedate,
    last: () => jira.issues.at(-1)?.key,
  },
] as const;

for (const tracker of trackers) {
  describe(`a due date in ${tracker.name}`, () => {
    it('is shown by `tasks show` and told to the session; `tasks add|edit --due` write it, `--due ""` clears it', async () => {
      repo = makeRepo({ name: 'due', branch: 'main', commits: ['init'] });
      home = tempHome({ source: tracker.source(), hooks: { sessionStartDeadlineMs: 25_000 } });
      const later = tracker.seed('Ship the release', '2099-12-01');
      tracker.seed('Renew the certificate', '2020-01-01');

      expect((await cli({}, 'tasks', 'show', later)).stdout).toMatch(/^due\s+2099-12-01$/m);
      const start = await runHook('session-start', sessionStartInput(repo.dir), {
        home: home.home,
        cwd: repo.dir,
        timeoutMs: 40_000,
      });
      const context = start.output?.hookSpecificOutput.additionalContext ?? '';
      expect(context).toMatch(/"Ship the release" \[todo, \w+, due 2099-12-01\]|"Ship the release" — .*due 2099-12-01/);
      expect(context).toMatch(/"Renew the certificate" .*due 2020-01-01 \(overdue\)/);

      const added = await cli({}, 'tasks', 'add', 'Write the notes', '--due', '2026-12-05');
      expect(added).toMatchObject({ code: 0, stderr: '' });
      const id = tracker.last() as string;
      expect(added.stdout).toBe(`Added ${id}: Write the notes\n`);
      expect(tracker.kept(id)).toBe('2026-12-05');

      const edited = await cli({}, 'tasks', 'edit', id, '--due', '2027-01-02');
      // The change is echoed as the task now holds it.
      expect(edited).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/; due 2027-01-02\n$/) });
      expect(tracker.kept(id)).toBe('2027-01-02');
      expect((await cli({}, 'tasks', 'show', id)).stdout).toMatch(/^due\s+2027-01-02$/m);
      expect(await cli({}, 'tasks', 'edit', id, '--due', '')).toMatchObject({
        code: 0,
        stderr: '',
        stdout: expect.stringMatching(/; due cleared\n$/),
      });
      expect(tracker.kept(id)).toBeNull();
      expect((await cli({}, 'tasks', 'show', id)).stdout).not.toMatch(/^due/m);
    }, 120_000);
  });
}

describe('GitHub Issues, which have no due date', () => {
  let gh: GitHubStandin;
  beforeAll(async () => {
    gh = await startGitHubStandin({ tokens: { 'gh-token-dana': 'dana' } });
  });
  afterAll(async () => {
    await gh.close();
    expect(gh.violations).toEqual([]);
  });

  it('still say on stderr that --due was not kept, and the issue is added', async () => {
    repo = makeRepo({ name: 'widgets', branch: 'main', commits: ['init'] });
    git(repo.dir, 'remote', 'add', 'origin', 'https://github.com/acme/widgets.git');
    gh.repo('acme/widgets');
    home = tempHome({ source: { adapter: 'github', github: { api: gh.url, host: 'github.com' } } });
    const added = await cli({ GH_TOKEN: 'gh-token-dana' }, 'tasks', 'add', 'Ship', '--due', '2026-12-01');
    expect(added.stdout).toMatch(/^Added #?\d+: Ship\n$/);
    expect(added.stderr).toBe('note: the github task source did not keep --due\n');
    expect(gh.repo('acme/widgets').issues.map((i) => i.title)).toEqual(['Ship']);
  }, 60_000);
});
