// Linear's and Jira's settings as every process loads them: keys and sites from the environment or the user's own
// config, never from a project's file, so the token reaches no host but the configured API.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { loadSettings } from '../../src/config/settings.js';
import { scrubString } from '../../src/log/redact.js';
import { openSource } from '../../src/sources/open.js';
import { configFixture, writeJson } from '../foundation/helpers.js';
import { silentLogger } from '../helpers/cache.js';
import { startJiraStandin, type JiraStandin } from '../helpers/jira-standin.js';
import { startStandinServer, type StandinServer } from '../helpers/standin-http.js';

let tmp: ReturnType<typeof configFixture>;
let jira: JiraStandin;
let elsewhere: StandinServer;

beforeAll(async () => {
  jira = await startJiraStandin();
  elsewhere = await startStandinServer(() => ({ status: 200, body: { issues: [], isLast: true } }));
});
afterAll(async () => {
  await jira.close();
  await elsewhere.close();
});
beforeEach(() => {
  tmp = configFixture();
});
afterEach(() => tmp.remove());

const load = (env: Record<string, string>) =>
  loadSettings({ cwd: tmp.repo, env: { TASKHOOKS_HOME: tmp.home, ...env } }).then((l) => l.settings);
const projectFile = () => path.join(tmp.repo, '.claude', 'taskhooks.json');

describe('Linear and Jira settings', () => {
  it('Linear: the key from LINEAR_API_KEY, the default API; a project file can move neither', async () => {
    writeJson(path.join(tmp.home, 'config.json'), { source: { adapter: 'linear', linear: { team: 'ENG' } } });
    writeJson(projectFile(), {
      source: { linear: { url: `${elsewhere.url}/graphql`, apiKey: 'lin_api_planted' } },
    });
    const settings = await load({ LINEAR_API_KEY: 'lin_api_from_env_0001' });
    expect(settings.source.plan).toEqual({
      kind: 'remote',
      adapter: 'linear',
      servers: ['https://api.linear.app/graphql'],
    });
    expect(settings.source.options).toEqual({ team: 'ENG', apiKey: 'lin_api_from_env_0001' });
    expect(settings.trustNote).toMatch(/project config ignored: not trusted/);
    // Registered with the scrubber: a log line or an error message never shows it.
    expect(scrubString('sent lin_api_from_env_0001 to Linear')).toBe('sent [redacted] to Linear');
  });

  it('Linear: LINEAR_API_URL names where the key goes', async () => {
    writeJson(path.join(tmp.home, 'config.json'), { source: { adapter: 'linear' } });
    const settings = await load({ LINEAR_API_KEY: 'lin_api_x_0001', LINEAR_API_URL: 'http://127.0.0.1:9/graphql' });
    expect(settings.source.plan).toMatchObject({ servers: ['http://127.0.0.1:9/graphql'] });
  });

  it('Jira: without a site it is not configured; the token goes to the site the environment names, never a project file’s', async () => {
    writeJson(path.join(tmp.home, 'config.json'), { source: { adapter: 'jira' } });
    expect((await load({})).source.plan).toEqual({ kind: 'embedded' });
    writeJson(projectFile(), { source: { adapter: 'jira', jira: { url: elsewhere.url, email: 'x@y.z' } } });
    const env = { JIRA_BASE_URL: jira.site, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.token };
    const settings = await load(env);
    expect(settings.source.plan).toEqual({ kind: 'remote', adapter: 'jira', servers: [jira.site] });
    jira.addIssue({ summary: 'Mine' });
    const cache = openCache({ home: tmp.home, log: silentLogger() });
    const source = openSource({
      source: settings.source,
      home: tmp.home,
      cache,
      log: silentLogger(),
      env,
      projectRoot: tmp.repo,
    });
    try {
      expect(
        (await source.pending({ projectRoot: tmp.repo, project: 'repo', branch: 'main' })).tasks.map((t) => t.title),
      ).toEqual(['Mine']);
    } finally {
      await source.close();
      cache.close();
      jira.reset();
    }
    expect(elsewhere.requests).toEqual([]);
  });

  it('opening without a key says in one line what to set', async () => {
    writeJson(path.join(tmp.home, 'config.json'), { source: { adapter: 'linear' } });
    const settings = await load({});
    const cache = openCache({ home: tmp.home, log: silentLogger() });
    try {
      expect(() =>
        openSource({
          source: settings.source,
          home: tmp.home,
          cache,
          log: silentLogger(),
          env: {},
          projectRoot: tmp.repo,
        }),
      ).toThrow(
        expect.objectContaining({
          kind: 'config',
          message: expect.stringContaining(
            'set LINEAR_API_KEY (Linear → Settings → API → Personal API keys) or source.linear.apiKey',
          ),
        }),
      );
    } finally {
      cache.close();
    }
  });
});
