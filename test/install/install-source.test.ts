// `taskhooks install --source linear|jira`: the settings are found in the environment (or the user's config) and
// nothing is asked; what is missing is named in one line with how to give it; no secret lands in a project file.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

it('Linear with LINEAR_API_KEY set: writes the source, asks nothing, never the key', () => {
  const key = 'lin_api_install_test_0001';
  const r = w.run(['install', '--source', 'linear'], { env: { ...w.env, LINEAR_API_KEY: key } });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('linear: settings found in LINEAR_API_KEY');
  const config = w.read('.claude/taskhooks.json');
  expect(JSON.parse(config).source).toEqual({ adapter: 'linear' });
  expect(config).not.toContain(key);
  expect(w.run(['config'], { env: { ...w.env, LINEAR_API_KEY: key } }).stdout).not.toContain(key);
});

it('Linear without a key: one line naming LINEAR_API_KEY and where to make one, nothing written', () => {
  const before = w.snapshot();
  const r = w.run(['install', '--source', 'linear']);
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(
    'set LINEAR_API_KEY (Linear → Settings → API → Personal API keys) or source.linear.apiKey in ~/.taskhooks/config.json',
  );
  expect(w.snapshot()).toEqual(before);
});

it('Jira: names each missing setting; with them all, writes the source', () => {
  const partial = w.run(['install', '--source', 'jira'], {
    env: { ...w.env, JIRA_BASE_URL: 'https://x.atlassian.net' },
  });
  expect(partial.code).toBe(1);
  expect(partial.stderr).toContain('Jira needs JIRA_EMAIL and JIRA_API_TOKEN');
  expect(partial.stderr).not.toContain('JIRA_BASE_URL=');
  const env = { ...w.env, JIRA_BASE_URL: 'https://x.atlassian.net', JIRA_EMAIL: 'a@b.c', JIRA_API_TOKEN: 'tok-0001' };
  const r = w.run(['install', '--source', 'jira'], { env });
  expect(r.code).toBe(0);
  expect(JSON.parse(w.read('.claude/taskhooks.json')).source).toEqual({ adapter: 'jira' });
});

it('refuses a source it cannot detect, and --source with --adapter', () => {
  expect(w.run(['install', '--source', 'nosuch']).stderr).toMatch(/--source nosuch is not one of .*linear.*jira/);
  expect(w.run(['install', '--source', 'linear', '--adapter', 'agenthub']).code).toBe(2);
});
