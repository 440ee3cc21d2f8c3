// The parts of the new sources that need no server: status words, JSON pointers, a server's text in the context,
// and the configuration that selects them (what a repository may not set).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSecrets } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';
import { resolveSettings } from '../../src/config/settings.js';
import { renderContext, type ContextInput } from '../../src/context/render.js';
import { answerText, MAX_ANSWER_CHARS, tasksOf, withScope } from '../../src/sources/mcp/source.js';
import { guardedServers } from '../../src/sources/plan.js';
import { priorityFrom, statusVocabulary } from '../../src/sources/issues/vocabulary.js';
import { configFixture, writeJson } from '../foundation/helpers.js';
import { settingsOf } from '../helpers/settings.js';
import { cleanGitState } from '../helpers/git.js';

describe('status and priority words', () => {
  it('reads the user’s words first, then the common ones, without case or spacing; an unknown word is open work', () => {
    const statusOf = statusVocabulary({ 'Waiting on QA': 'testing', Done: 'review' });
    expect(
      [
        'To Do',
        'IN-PROGRESS',
        'in_progress',
        'waiting  on qa',
        'Done',
        'completed',
        'deferred',
        "Won't Fix",
        'Ideas',
        undefined,
      ].map(statusOf),
    ).toEqual([
      'todo',
      'in_progress',
      'in_progress',
      'testing',
      'review',
      'done',
      'blocked',
      'cancelled',
      'todo',
      'todo',
    ]);
    expect(['High', 'URGENT', 'p0', 'normal', 'whatever', 3, null].map(priorityFrom)).toEqual([
      'high',
      'urgent',
      'critical',
      'medium',
      'medium',
      'medium',
      'medium',
    ]);
  });
});

describe('a JSON answer made tasks', () => {
  const where = { tool: 'list', server: 'stdio:x' };
  const statusOf = statusVocabulary({});
  const pointers = {
    list: '/data/a~1b',
    id: '/key',
    title: '/fields/summary',
    status: '/fields/state',
    priority: '/fields/prio',
    description: '/fields/body',
  };

  it('follows RFC 6901 pointers (escapes included), keeps open work only, and counts items it cannot name', () => {
    const value = {
      data: {
        'a/b': [
          { key: 7, fields: { summary: 'Ship it', state: 'In Progress', prio: 'High', body: 'now' } },
          { key: 'X-2', fields: { summary: 'Later', state: 'open' } },
          { key: 'X-3', fields: { summary: 'Gone', state: 'closed' } },
          { key: 'X-4', fields: {} },
          'not an object',
        ],
      },
    };
    const { tasks, skipped } = tasksOf(value, pointers, statusOf, where);
    expect(tasks.map((t) => [t.id, t.title, t.status, t.priority, t.description])).toEqual([
      ['7', 'Ship it', 'in_progress', 'high', 'now'],
      ['X-2', 'Later', 'todo', 'medium', ''],
    ]);
    expect(skipped).toBe(2);
  });

  it('a pointer to something else than a list is said, with what it found', () => {
    expect(() => tasksOf({ data: { 'a/b': { not: 'a list' } } }, pointers, statusOf, where)).toThrow(
      'source.tool.tasks.list "/data/a~1b" finds an object, not a list',
    );
    expect(() => tasksOf([], { ...pointers, list: '' }, statusOf, where)).not.toThrow();
  });

  it('puts the scope into the configured arguments, however deep', () => {
    const scope = { projectRoot: '/w/shop', project: 'shop', branch: 'feat/x' };
    expect(
      withScope(
        {
          root: '{projectRoot}',
          filter: { q: 'project:{project} branch:{branch}', n: 3 },
          tags: ['{branch}'],
          other: '{nope}',
        },
        scope,
      ),
    ).toEqual({
      root: '/w/shop',
      filter: { q: 'project:shop branch:feat/x', n: 3 },
      tags: ['feat/x'],
      other: '{nope}',
    });
  });

  it('a text answer is its texts, else its structured content laid out; a runaway one is cut', () => {
    expect(answerText({ texts: ['To Do:', '  A'] })).toBe('To Do:\n  A');
    expect(answerText({ texts: [], structured: { a: 1 } })).toBe('{\n  "a": 1\n}');
    expect(answerText({ texts: ['x'.repeat(MAX_ANSWER_CHARS + 10)] })).toHaveLength(MAX_ANSWER_CHARS + 2);
  });
});

describe("a server's own text in the context", () => {
  const base: ContextInput = {
    scope: { projectRoot: '/r', project: 'demo', branch: 'main' },
    snapshot: undefined,
    freshness: { kind: 'cached', ageMs: 60_000 },
    git: cleanGitState({ modified: 1 }),
    alerts: [],
    maxPending: 5,
    budget: 4000,
    now: 1_700_000_000_000,
  };
  const snap = (text: string) => ({
    sourceKey: 'k',
    project: 'demo',
    branch: 'main',
    fetchedAt: 1,
    source: 'stdio:srv',
    tasks: [],
    next: null,
    text,
  });

  it('keeps its indentation, cleans every line on its own and drops blank ones', () => {
    const out = renderContext({
      ...base,
      snapshot: snap('To Do:\n\n  TASK-2 - Retry\r\n\t[HIGH] TASK-1 - <b>Refund</b>\u001b[31m\u202e\n'),
    });
    expect(out.text.split('\n').slice(0, 4)).toEqual([
      "[taskhooks] project demo, branch main: the task server's own list below (as of 1 min ago, from stdio:srv).",
      'Task list, as the task server words it:',
      '  To Do:',
      '    TASK-2 - Retry',
    ]);
    expect(out.text).toContain('\n    [HIGH] TASK-1 - ‹b›Refund‹/b›\n');
  });

  it('takes what the budget leaves after git, and says how many lines it left out', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    const out = renderContext({ ...base, budget: 1000, snapshot: snap(lines.join('\n')) });
    expect(out.text.length).toBeLessThanOrEqual(1000);
    expect(out.text).toMatch(/\n {2}… \d+ more lines \(hooks\.contextBudget\)\nGit: branch main/);
    const shown = out.text.split('\n').filter((l) => l.startsWith('  line ')).length;
    expect(out.text).toContain(`… ${200 - shown} more lines`);
    expect(out.omitted).toEqual([`${200 - shown} line(s) of the task server's text`]);
  });
});

describe('configuration', () => {
  let tmp: ReturnType<typeof configFixture>;
  beforeEach(() => {
    tmp = configFixture();
  });
  afterEach(() => tmp.remove());
  const load = () => loadConfig({ cwd: tmp.deep, env: { TASKHOOKS_HOME: tmp.home } });

  it('backlog runs the installed `backlog` unless a command is set; the generic adapter caches per tool and arguments', () => {
    expect(settingsOf({ source: { adapter: 'backlog' } }).source.plan).toEqual({
      kind: 'cli',
      adapter: 'backlog',
      command: 'backlog',
      args: [],
      env: {},
      configured: false,
      projectBin: false,
    });
    const generic = settingsOf({
      source: {
        adapter: 'mcp',
        command: 'srv',
        args: ['--stdio'],
        tool: { name: 'list_tasks', args: { status: 'all' } },
        statuses: { Ideas: 'blocked' },
      },
    }).source;
    expect(generic.key).toBe('stdio:srv --stdio list_tasks {"status":"all"}');
    expect(guardedServers(generic.plan)).toEqual(['stdio:srv --stdio']);
    expect(generic.tool).toEqual({ name: 'list_tasks', args: { status: 'all' }, tasks: undefined });
    expect(generic.statuses).toEqual({ Ideas: 'blocked' });
    const remote = settingsOf({
      source: { adapter: 'mcp', servers: ['http://127.0.0.1:9/mcp'], tool: { name: 't', tasks: {} } },
    }).source;
    expect(remote.plan).toEqual({ kind: 'remote', adapter: 'mcp', servers: ['http://127.0.0.1:9/mcp'] });
    expect(remote.tool?.tasks).toEqual({
      list: '',
      id: '/id',
      title: '/title',
      status: '/status',
      priority: '/priority',
      description: '/description',
    });
  });

  it('the generic adapter without a tool or a server, and a pointer that is none, are problems a person can fix', () => {
    writeJson(path.join(tmp.home, 'config.json'), {
      source: { adapter: 'mcp', command: 'srv', tool: { name: 't', tasks: { list: 'data/tasks' } } },
    });
    expect(load().problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        "config: source.tool.tasks.list = \"data/tasks\" is invalid: expected a JSON pointer such as '/data/tasks' ('' for the whole answer)",
      ),
    ]);
    writeJson(path.join(tmp.home, 'config.json'), { source: { adapter: 'mcp', command: 'srv' } });
    expect(load().problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        'config: source.adapter = "mcp" is invalid: the generic adapter (mcp) needs source.tool (the tool that lists the tasks) and its server',
      ),
    ]);
  });

  it("a repository's own file sets no tool, arguments, command or status words until trusted", () => {
    writeJson(path.join(tmp.home, 'config.json'), {
      source: { adapter: 'mcp', servers: ['http://127.0.0.1:9/mcp'], tool: { name: 'list_tasks' } },
    });
    const projectFile = path.join(tmp.repo, '.claude', 'taskhooks.json');
    mkdirSync(path.dirname(projectFile), { recursive: true });
    writeFileSync(
      projectFile,
      JSON.stringify({
        source: {
          command: 'sh',
          tool: { name: 'delete_everything', args: { confirm: true } },
          statuses: { Done: 'todo' },
        },
      }),
    );
    const loaded = load();
    expect(loaded.problems).toEqual([]);
    // Records are named whole, as source.env is: a layer sets or replaces them as one value.
    expect(loaded.project?.ignored).toEqual([
      'source.command',
      'source.tool.name',
      'source.tool.args',
      'source.statuses',
    ]);
    const { source } = resolveSettings(loaded.config, tmp.home, loaded);
    expect(source.tool?.name).toBe('list_tasks');
    expect(source.plan.kind).toBe('remote');
    expect(source.statuses).toEqual({});
  });

  it('an argument named like a secret is kept out of the logs', () => {
    const secrets = configSecrets({ source: { tool: { name: 't', args: { apiKey: 'k-123456', query: 'open' } } } });
    expect(secrets).toEqual(['k-123456']);
  });
});
