// GitLab as a user meets it, through the built hooks and the CLI against the stand-in on loopback: nothing of GitLab
// configured but the choice of it and where a self-managed instance is (GITLAB_API_URL, GITLAB_HOST); the project from
// `origin` in each form git takes (a subgroup's), the token from GITLAB_TOKEN or glab's login. The token reaches no
// file and no log line; `install --source gitlab` and `doctor` say what they found, or what is missing, in one line.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeRepo } from '../helpers/git.js';
import { startGitLabStandin, type GitLabStandin } from '../helpers/gitlab-standin.js';
import { filesUnder, hookEnv, runHook, sessionStartInput, tempHome } from '../helpers/hooks.js';
import { runCli } from '../helpers/cli.js';

const TOKEN = 'glpat-Zr7dana0123456789abcd';
const GLAB_TOKEN = 'glpat-Qx9glablogin0123456789';
const PROJECT = 'acme/platform/widgets';
const HOST = 'gitlab.example.com';

let gl: GitLabStandin;
let bin: string;

beforeAll(async () => {
  gl = await startGitLabStandin({ tokens: { [TOKEN]: 'dana', [GLAB_TOKEN]: 'dana' } });
  gl.project(PROJECT).issues.push(
    { iid: 7, title: 'Fix the login redirect', state: 'opened', labels: ['priority::high'], assignees: ['dana'] },
    { iid: 8, title: 'Someone else', state: 'opened', labels: [], assignees: ['sam'] },
    { iid: 9, title: 'Already shipped', state: 'closed', labels: [], assignees: ['dana'] },
  );
  // The stand-in compiles its schemas on its first answers: done here, not inside a hook's deadline.
  await (await fetch(`${gl.url}/user`, { headers: { 'private-token': TOKEN } })).text();
  // A `glab` that knows one login, for gitlab.example.com only, as `glab config get token --host` answers.
  bin = mkdtempSync(path.join(os.tmpdir(), 'th-fake-glab-'));
  writeFileSync(
    path.join(bin, 'glab'),
    `#!/bin/sh\n[ "$1 $2 $3 $4 $5" = "config get token --host ${HOST}" ] && { echo ${GLAB_TOKEN}; exit 0; }\nexit 1\n`,
  );
  chmodSync(path.join(bin, 'glab'), 0o755);
});

afterAll(async () => {
  await gl.close();
  rmSync(bin, { recursive: true, force: true });
  expect(gl.violations).toEqual([]);
});

/** No file under `dir` holds the token, as text or bytes. */
function nowhereUnder(dir: string, token: string): string[] {
  return filesUnder(dir).filter((f) => readFileSync(f).includes(token));
}

const selfManaged = () => ({ GITLAB_API_URL: gl.url, GITLAB_HOST: HOST });

describe('GitLab with nothing configured but the instance', () => {
  it.each([
    [`https://${HOST}/${PROJECT}.git`, 'GITLAB_TOKEN'],
    [`git@${HOST}:${PROJECT}.git`, 'glab'],
    [`ssh://git@${HOST}:2222/${PROJECT}.git`, 'GITLAB_TOKEN'],
  ])('origin %s, token from %s: SessionStart shows my issues, and the token is on no disk', async (origin, from) => {
    const repo = makeRepo({ name: 'widgets', branch: '7-fix-login-redirect' });
    git(repo.dir, 'remote', 'add', 'origin', origin);
    const { home, cleanup } = tempHome({ hooks: { sessionStartDeadlineMs: 25_000 } });
    try {
      const token = from === 'glab' ? GLAB_TOKEN : TOKEN;
      const credential: Record<string, string> =
        from === 'glab' ? { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` } : { GITLAB_TOKEN: TOKEN };
      const before = gl.requests.length;
      const hook = await runHook('session-start', sessionStartInput(repo.dir), {
        home,
        cwd: repo.dir,
        timeoutMs: 40_000,
        env: {
          TASKHOOKS_ADAPTER: 'gitlab',
          TASKHOOKS_LOG_LEVEL: 'debug',
          TASKHOOKS_NO_AUTOSTART: '1',
          ...selfManaged(),
          ...credential,
        },
      });
      expect(hook.code).toBe(0);
      const context = hook.output?.hookSpecificOutput.additionalContext ?? '';
      expect(context).toContain('Fix the login redirect');
      expect(context).not.toContain('Someone else');
      expect(context).not.toContain('Already shipped');
      const sent = gl.requests.slice(before);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((r) => r.privateToken === token)).toBe(true);
      expect(hook.stdout + hook.stderr).not.toContain(token);
      expect(nowhereUnder(home, token)).toEqual([]);
      expect(nowhereUnder(repo.dir, token)).toEqual([]);
    } finally {
      cleanup();
      repo.cleanup();
    }
  });
});

describe('a hostile GitLab answer in the session’s context', () => {
  it.each([
    ['a protocol-relative Link to another host', 'link', 'link to another host (evil.example:8443)'],
    ['an answer over the cap', 'size', 'answer over 16 MiB'],
  ])('%s: says so, not a timeout', async (_what, fault, reason) => {
    const repo = makeRepo({ name: 'widgets' });
    git(repo.dir, 'remote', 'add', 'origin', `https://${HOST}/${PROJECT}.git`);
    const { home, cleanup } = tempHome({ hooks: { sessionStartDeadlineMs: 25_000 } });
    gl.fault(
      fault === 'link'
        ? {
            path: /\/issues$/,
            times: 1,
            status: 200,
            headers: { link: '<//evil.example:8443/x?page=2>; rel="next"' },
            body: '[]',
          }
        : { path: /\/issues$/, times: 1, status: 200, body: `[${'0,'.repeat(9 * 1024 * 1024)}0]` },
    );
    try {
      const hook = await runHook('session-start', sessionStartInput(repo.dir), {
        home,
        cwd: repo.dir,
        timeoutMs: 40_000,
        env: { TASKHOOKS_ADAPTER: 'gitlab', TASKHOOKS_NO_AUTOSTART: '1', GITLAB_TOKEN: TOKEN, ...selfManaged() },
      });
      const context = hook.output?.hookSpecificOutput.additionalContext ?? '';
      expect(context).toContain(reason);
      // The task lines: on a loaded machine the git line may say git timed out, which is not the source's doing.
      const taskLines = context.split('\n').filter((line) => !line.startsWith('Git:'));
      expect(taskLines.join('\n')).not.toMatch(/timed out|Invalid URL/);
    } finally {
      cleanup();
      repo.cleanup();
    }
  });
});

async function cli(args: string[], cwd: string, home: string, env: Record<string, string>) {
  // No glab on this PATH unless a test puts one there: only node's own directory and the system's.
  const PATH = [path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter);
  const base = { ...hookEnv(home), HOME: home, NO_COLOR: '1', TASKHOOKS_NO_AUTOSTART: '1', PATH };
  return runCli(args, { cwd, env: { ...base, ...env } });
}

describe('taskhooks install --source gitlab and doctor', () => {
  const install = ['install', '--source', 'gitlab', '--dry-run', '--json'];

  it.each([`https://${HOST}/${PROJECT}`, `git@${HOST}:${PROJECT}.git`])(
    'origin %s: writes the choice of GitLab and asks nothing',
    async (origin) => {
      const repo = makeRepo({ name: 'widgets' });
      const { home, cleanup } = tempHome();
      try {
        git(repo.dir, 'remote', 'add', 'origin', origin);
        const r = await cli(install, repo.dir, home, { ...selfManaged(), GITLAB_TOKEN: TOKEN });
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(String.raw`\"adapter\": \"gitlab\"`);
        expect(r.stdout).toContain(`${PROJECT} on ${HOST} (origin), token from GITLAB_TOKEN`);
        expect(r.stdout + r.stderr).not.toContain(TOKEN);
      } finally {
        cleanup();
        repo.cleanup();
      }
    },
  );

  it.each([
    [`https://${HOST}/${PROJECT}`, {}, `no GitLab token for ${HOST}: set GITLAB_TOKEN`],
    [`https://gitlab.com/${PROJECT}`, { GITLAB_TOKEN: 'x' }, 'unset GITLAB_API_URL and GITLAB_HOST'],
    ['', { GITLAB_TOKEN: 'x' }, 'git remote add origin https://gitlab.com/GROUP/PROJECT'],
  ])('origin %s: names what is missing in one line and writes nothing', async (origin, env, line) => {
    const repo = makeRepo({ name: 'widgets' });
    const { home, cleanup } = tempHome();
    try {
      if (origin) git(repo.dir, 'remote', 'add', 'origin', origin);
      const r = await cli(install, repo.dir, home, { ...selfManaged(), ...env });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(line);
      expect(existsSync(path.join(repo.dir, '.claude'))).toBe(false);
    } finally {
      cleanup();
      repo.cleanup();
    }
  });

  it('tasks add, start, block, note, show and done write to GitLab and say so', async () => {
    const repo = makeRepo({ name: 'widgets' });
    const { home, cleanup } = tempHome({ source: { adapter: 'gitlab' } });
    const env = { ...selfManaged(), GITLAB_TOKEN: TOKEN };
    const tasks = (...args: string[]) => cli(['tasks', ...args], repo.dir, home, env);
    try {
      git(repo.dir, 'remote', 'add', 'origin', `https://${HOST}/${PROJECT}.git`);
      const added = await tasks('add', 'Write the docs', '--priority', 'high', '--due', '2026-12-01');
      expect(added).toMatchObject({ code: 0, stderr: '' });
      const made = gl.project(PROJECT).issues.find((i) => i.title === 'Write the docs');
      expect(made).toMatchObject({ labels: ['priority: high'], due_date: '2026-12-01', assignees: ['dana'] });
      const id = String(made?.iid);
      expect((await tasks('start', id)).code).toBe(0);
      expect(made?.labels).toContain('workflow::in progress');
      expect((await tasks('block', id, '--note', 'waiting on review')).code).toBe(0);
      expect(made?.labels).toEqual(['priority: high', 'workflow::blocked']);
      expect((await tasks('note', id, 'Reviewer asked for examples')).code).toBe(0);
      const shown = await tasks('show', id);
      expect(shown.stdout).toContain('waiting on review');
      expect(shown.stdout).toContain('Reviewer asked for examples');
      expect(shown.stdout).toContain('2026-12-01');
      expect((await tasks('done', id)).code).toBe(0);
      expect(made?.state).toBe('closed');
    } finally {
      cleanup();
      repo.cleanup();
    }
  });

  it('doctor shows the project, where the token came from, whose it is, the list and the rate limit', async () => {
    const repo = makeRepo({ name: 'widgets' });
    const { home, cleanup } = tempHome({ source: { adapter: 'gitlab' } });
    try {
      git(repo.dir, 'remote', 'add', 'origin', `git@${HOST}:${PROJECT}.git`);
      const r = await cli(['doctor', '--json'], repo.dir, home, { ...selfManaged(), GITLAB_TOKEN: TOKEN });
      const steps = (JSON.parse(r.stdout) as { steps: Array<{ name: string; ok: boolean; detail: string }> }).steps;
      const step = (name: string) => steps.find((s) => s.name === name);
      expect(step('GitLab project')).toMatchObject({
        ok: true,
        detail: expect.stringContaining(`${PROJECT} on ${HOST}`),
      });
      expect(step('GitLab token')).toMatchObject({ ok: true, detail: `found in GITLAB_TOKEN, sent only to ${gl.url}` });
      expect(step('GitLab viewer')).toMatchObject({ ok: true, detail: 'dana' });
      expect(step('GitLab issues')).toMatchObject({ ok: true, detail: '1 open issue assigned to dana' });
      expect(step('GitLab rate limit')?.detail).toMatch(/^\d+ of 2000 requests left, resets at \d\d:\d\d UTC$/);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
      expect(nowhereUnder(home, TOKEN)).toEqual([]);
    } finally {
      cleanup();
      repo.cleanup();
    }
  });
});
