// `install --source <name>`: the source's own detection, run by the built CLI in a throwaway world. What it finds is
// written without a question; what is missing is one line saying how to give it, and nothing is written.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

const json = (text: string): unknown => JSON.parse(text);

describe('install --source', () => {
  it('writes a source whose settings it found in the environment, naming where, and asks nothing', () => {
    const env = { ...w.env, TASK_TRACKING_URL: 'http://127.0.0.1:9/', TASK_TRACKING_API_KEY: 'k-123' };
    const r = w.run(['install', '--source', 'tracker'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('the tracker source: found TASK_TRACKING_URL');
    // The key stays in the environment it came from: only the source's name is written.
    expect(json(w.read('.claude/taskhooks.json'))).toEqual({ source: { adapter: 'tracker' } });
  });

  it('says in one line what is missing and how to give it, and writes nothing', () => {
    const before = w.snapshot();
    const r = w.run(['install', '--source', 'backlog']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot set up the backlog source: no backlog\/ folder in .*: `backlog init` starts one/);
    expect(w.snapshot()).toEqual(before);
  });

  it('refuses a name no source has, listing the ones there are', () => {
    const r = w.run(['install', '--source', 'jira-nonexistent']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--source "?jira-nonexistent"? is not one of agenthub, azure-devops, backlog, embedded, github, gitlab, jira, linear, mcp, taskmaster, tracker/,
    );
  });

  it('Linear with LINEAR_API_KEY set: writes the source, never the key; without it, one line naming where to make one', () => {
    const before = w.snapshot();
    const missing = w.run(['install', '--source', 'linear']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain(
      'set LINEAR_API_KEY (Linear → Settings → API → Personal API keys) or source.linear.apiKey in ',
    );
    // The user config file where this run's state directory is, not a `~/.taskhooks` it may not use.
    expect(missing.stderr).toMatch(/apiKey in \/\S+\/config\.json/);
    expect(w.snapshot()).toEqual(before);
    const key = 'lin_api_install_test_0001';
    const r = w.run(['install', '--source', 'linear'], { env: { ...w.env, LINEAR_API_KEY: key } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('LINEAR_API_KEY');
    const config = w.read('.claude/taskhooks.json');
    expect(json(config)).toEqual({ source: { adapter: 'linear' } });
    expect(config).not.toContain(key);
  });

  it('Jira: names each missing setting; with them all, writes the source', () => {
    const partial = w.run(['install', '--source', 'jira'], {
      env: { ...w.env, JIRA_BASE_URL: 'https://x.atlassian.net' },
    });
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('Jira needs JIRA_EMAIL and JIRA_API_TOKEN');
    expect(partial.stderr).not.toContain('JIRA_BASE_URL=');
    const env = { ...w.env, JIRA_BASE_URL: 'https://x.atlassian.net', JIRA_EMAIL: 'a@b.c', JIRA_API_TOKEN: 'tok-0001' };
    const r = w.run(['install', '--source', 'jira'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(json(w.read('.claude/taskhooks.json'))).toEqual({ source: { adapter: 'jira' } });
  });
});
