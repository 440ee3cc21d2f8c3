// `taskhooks source`: the source a project uses, the rule that chose it, and what points at a tracker it does not use
// (a token in the environment, the origin's host), each checked as `install --source` checks it. `config` shows it too.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, cliHere, runCli } from '../foundation/helpers.js';
import { git, makeRepo, type TempRepo } from '../helpers/git.js';

let repo: TempRepo;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  repo = makeRepo({ name: 'app' });
  git(repo.dir, 'remote', 'add', 'origin', 'https://gitlab.com/acme/app.git');
  // No glab on this PATH, so the token is the environment's or none.
  const PATH = [path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter);
  env = cleanEnv({ TASKHOOKS_HOME: path.join(path.dirname(repo.dir), 'state'), PATH });
});
afterEach(() => repo.cleanup());

const source = (extra: Record<string, string> = {}, ...args: string[]) =>
  cliHere(['source', ...args], { env: { ...env, ...extra }, cwd: repo.dir });

describe('taskhooks source', () => {
  it('in a GitLab checkout with GITLAB_TOKEN and no adapter: the built-in store by default, and the line that uses the token', async () => {
    const r = await source({ GITLAB_TOKEN: 'glpat-not-a-real-token-0001' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('task source:  built-in store');
    expect(r.stdout).toContain('chosen by:    the default: no source.adapter is set');
    expect(r.stdout).toContain(
      'not used:     GITLAB_TOKEN is set, origin is on gitlab.com: the gitlab source would read acme/app on gitlab.com (origin), token from GITLAB_TOKEN',
    );
    expect(r.stdout).toContain(
      '  to use it:  TASKHOOKS_ADAPTER=gitlab (this shell), or `taskhooks install --source gitlab` (this project)',
    );
    expect(r.stdout).not.toContain('glpat-not-a-real-token');
  });

  it('in a GitLab checkout without a token: what the origin says, and what is missing to use it', async () => {
    const r = await source();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'not used:     origin is on gitlab.com: the gitlab source cannot use it yet: no GitLab token for gitlab.com: set GITLAB_TOKEN',
    );
    expect(r.stdout).not.toContain('to use it:');
  });

  it('with the adapter chosen: the rule names where it was set, and the check install runs (a self-managed origin) is a problem, exit 2', async () => {
    git(repo.dir, 'remote', 'set-url', 'origin', 'https://gitlab.example.com/acme/app.git');
    const r = await source({ TASKHOOKS_ADAPTER: 'gitlab', GITLAB_TOKEN: 'glpat-not-a-real-token-0002' });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(
      'chosen by:    source.adapter is gitlab, from the environment variable TASKHOOKS_ADAPTER',
    );
    expect(r.stdout).toMatch(
      /problem: {6}origin names gitlab\.example\.com, but the GitLab API configured is https:\/\/gitlab\.com\/api\/v4.*set GITLAB_HOST=gitlab\.example\.com/,
    );
    const config = await cliHere(['config'], {
      env: { ...env, TASKHOOKS_ADAPTER: 'gitlab', GITLAB_TOKEN: 'glpat-not-a-real-token-0002' },
      cwd: repo.dir,
    });
    expect(config.status).toBe(2);
    expect(config.stdout).toContain('set GITLAB_HOST=gitlab.example.com');
  });

  it('--json gives the same report', async () => {
    const r = await source({ GITLAB_TOKEN: 'glpat-not-a-real-token-0003' }, '--json');
    const out = JSON.parse(r.stdout) as { rule: string; unused: Array<{ switchTo?: string }> };
    expect(out.rule).toMatch(/^the default/);
    expect(out.unused.map((u) => u.switchTo)).toEqual(['gitlab']);
  });
});

describe('credentials in a tracker URL, as the built CLI prints them', () => {
  const PASSWORD = 'Hunter2-not-a-real-password';
  const GITLAB_TOKEN = 'glpat-NotARealToken01234567';
  // A query token of no published format: masked for its parameter's name.
  const QUERY_TOKEN = 'plain0not0a0real0token0123';
  // A closed port on this machine: the source's check fails at once, and nothing leaves it.
  const API = `https://jo:${PASSWORD}@127.0.0.1:9/api/v4?private_token=${GITLAB_TOKEN}&access_token=${QUERY_TOKEN}&per_page=5`;

  beforeEach(() => {
    const home = env.TASKHOOKS_HOME as string;
    mkdirSync(home, { recursive: true, mode: 0o700 });
    writeFileSync(
      path.join(home, 'config.json'),
      JSON.stringify({ source: { adapter: 'gitlab', gitlab: { api: API } } }),
      { mode: 0o600 },
    );
  });

  it.each(['source', 'source --json', 'config --all', 'config --all --json'])(
    'taskhooks %s shows the API without its password or tokens',
    (command) => {
      const r = runCli(command.split(' '), { env, cwd: repo.dir });
      const printed = `${r.stdout}\n${r.stderr}`;
      // The URL is shown, with what is no secret in it.
      expect(printed).toContain('127.0.0.1:9/api/v4');
      for (const secret of [PASSWORD, GITLAB_TOKEN, QUERY_TOKEN]) expect(printed).not.toContain(secret);
    },
  );
});
