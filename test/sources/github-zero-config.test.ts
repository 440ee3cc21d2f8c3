// Zero config in a GitHub checkout: nothing of GitHub configured, only the choice of GitHub. The repository comes from `origin`
// in each form git takes, the token from GH_TOKEN or the GitHub CLI's login; SessionStart shows the issues.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeRepo } from '../helpers/git.js';
import { startGitHubStandin, type GitHubStandin } from '../helpers/github-standin.js';
import { runHook, sessionStartInput, tempHome } from '../helpers/hooks.js';

let gh: GitHubStandin;
let bin: string;

beforeAll(async () => {
  gh = await startGitHubStandin({ tokens: { 'gh-token-dana': 'dana', 'gh-cli-token': 'dana' } });
  for (const name of ['acme/widgets']) {
    gh.repo(name).issues.push(
      { number: 7, title: 'Fix the login redirect', state: 'open', labels: ['P1'], assignees: ['dana'] },
      { number: 8, title: 'Someone else', state: 'open', labels: [], assignees: ['sam'] },
    );
  }
  // The stand-in compiles GitHub's schemas on its first answers: done here, not inside a hook's deadline.
  const headers = { authorization: 'Bearer gh-token-dana', accept: 'application/vnd.github+json', 'user-agent': 't' };
  await (await fetch(`${gh.url}/user`, { headers })).text();
  await (await fetch(`${gh.url}/repos/acme/widgets/issues?assignee=dana`, { headers })).text();
  // A `gh` that knows one login, for github.com only, as `gh auth token --hostname` answers.
  bin = mkdtempSync(path.join(os.tmpdir(), 'th-fake-gh-'));
  writeFileSync(
    path.join(bin, 'gh'),
    '#!/bin/sh\n[ "$1 $2 $3 $4" = "auth token --hostname github.com" ] && { echo gh-cli-token; exit 0; }\necho "no login" >&2; exit 1\n',
  );
  chmodSync(path.join(bin, 'gh'), 0o755);
});

afterAll(async () => {
  await gh.close();
  rmSync(bin, { recursive: true, force: true });
  expect(gh.violations).toEqual([]);
});

describe('GitHub with nothing configured', () => {
  it.each([
    ['https://github.com/acme/widgets.git', 'GH_TOKEN'],
    ['git@github.com:acme/widgets.git', 'GITHUB_TOKEN'],
    ['ssh://git@github.com/acme/widgets.git', 'gh'],
    ['https://github.com/acme/widgets', 'gh'],
  ])('origin %s, token from %s: SessionStart shows my issues', async (origin, tokenFrom) => {
    const repo = makeRepo({ name: 'widgets', branch: '7-login-redirect' });
    git(repo.dir, 'remote', 'add', 'origin', origin);
    // Nothing of GitHub in it: only a hook deadline a machine shared by parallel test runs can keep.
    const { home, cleanup } = tempHome({ hooks: { sessionStartDeadlineMs: 25_000 } });
    try {
      const token: Record<string, string> =
        tokenFrom === 'gh'
          ? { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` }
          : { [tokenFrom]: 'gh-token-dana' };
      const before = gh.requests.length;
      const run = await runHook('session-start', sessionStartInput(repo.dir), {
        home,
        cwd: repo.dir,
        timeoutMs: 40_000,
        env: {
          TASKHOOKS_ADAPTER: 'github',
          GITHUB_API_URL: gh.url,
          GH_HOST: 'github.com',
          TASKHOOKS_NO_AUTOSTART: '1',
          ...token,
        },
      });
      expect(run.code).toBe(0);
      const context = run.output?.hookSpecificOutput.additionalContext ?? '';
      expect(context).toContain('Fix the login redirect');
      expect(context).not.toContain('Someone else');
      const sent = gh.requests.slice(before);
      expect(sent.length).toBeGreaterThan(0);
      const expected = tokenFrom === 'gh' ? 'Bearer gh-cli-token' : 'Bearer gh-token-dana';
      expect(sent.every((r) => r.authorization === expected)).toBe(true);
      expect(context).not.toContain('gh-cli-token');
      expect(context).not.toContain('gh-token-dana');
    } finally {
      cleanup();
      repo.cleanup();
    }
  });
});
