// The real Backlog.md (test/peers.json) in a temporary git repository: its tasks, made with its own CLI, read through
// `backlog task list --json` by the adapter, then by the hooks' code, run in the test's process.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBreakers } from '../../src/cache/breakers.js';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { PRE_TOOL_USE_DEADLINE_MAX_MS } from '../../src/config/schema.js';
import { noBacklogNote } from '../../src/sources/backlog/source.js';
import { openSource } from '../../src/sources/open.js';
import type { TaskSource } from '../../src/sources/source.js';
import { TaskSourceError } from '../../src/errors/task-source.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { silentLogger } from '../helpers/cache.js';
import { taskSourceFailure } from '../helpers/errors.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import {
  hooksLog,
  hookUntil,
  postToolUseInput,
  preToolUseInput,
  runHookHere,
  sessionStartInput,
  tempHome,
} from '../helpers/hooks.js';
import { peer } from '../helpers/peers.js';
import { goneWithin, hangingProgram } from '../helpers/pid.js';
import { settingsOf } from '../helpers/settings.js';

const backlog = peer('backlog.md');
/** The peer's `backlog` as npm links it: what a user who installed Backlog.md has on the PATH. */
const BIN_DIR = path.join(path.dirname(backlog.entry), '..', '.bin');
const opts = () => ({ deadline: deadlineIn(30_000) });
// The program the user configured: node running the package's CLI, as `backlog` would.
const configured = { adapter: 'backlog', command: process.execPath, args: [backlog.entry], timeoutMs: 30_000 };

let repo: TempRepo;
let scratch: string;
let cache: Cache;
const sources: TaskSource[] = [];

function run(cwd: string, ...args: string[]): string {
  return execFileSync(process.execPath, [backlog.entry, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
}

function open(source: Record<string, unknown>, root = repo.dir, env?: NodeJS.ProcessEnv): TaskSource {
  const src = openSource({
    source: settingsOf({ source }).source,
    home: scratch,
    cache,
    log: silentLogger(),
    projectRoot: root,
    env,
  });
  sources.push(src);
  return src;
}

const scope = (root = repo.dir) => ({ projectRoot: root, project: path.basename(root), branch: 'main' });

beforeAll(() => {
  repo = makeRepo({ name: 'shop' });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'th-backlog-'));
  cache = openCache({ home: scratch });
  run(repo.dir, 'init', 'shop', '--defaults', '--integration-mode', 'none', '--auto-open-browser', 'false');
  run(
    repo.dir,
    'task',
    'create',
    'Refund flow for declined cards',
    '-d',
    'Cards the bank declines get their money back',
    '--priority',
    'high',
  );
  run(repo.dir, 'task', 'create', 'Retry webhooks');
  run(repo.dir, 'task', 'create', 'Old migration', '-s', 'Done');
  run(repo.dir, 'task', 'create', 'Rotate keys', '--priority', 'low');
  run(repo.dir, 'task', 'edit', '1', '-s', 'In Progress');
  // A status of the project's own, and a shell command Backlog.md runs when a status changes: reading runs nothing.
  const config = path.join(repo.dir, 'backlog', 'config.yml');
  const marker = path.join(scratch, 'status-hook-ran');
  writeFileSync(
    config,
    readFileSync(config, 'utf8')
      .replace(/^statuses: .*$/m, 'statuses: ["To Do", "In Progress", "Waiting on QA", "Done"]')
      .concat(`onStatusChange: 'touch ${marker}'\n`),
  );
  run(repo.dir, 'task', 'create', 'Check the invoices', '-s', 'Waiting on QA');
});

afterAll(async () => {
  for (const s of sources) await s.close();
  cache?.close();
  repo?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the Backlog.md adapter', () => {
  it('lists the open tasks with their statuses and priorities, and names the next ready task', async () => {
    const src = open({ ...configured, statuses: { 'Waiting on QA': 'testing' } });
    const { tasks, next, note } = await src.pending(scope(), opts());
    expect(note).toBeUndefined();
    expect(tasks.map((t) => [t.id, t.title, t.status, t.priority])).toEqual([
      ['TASK-1', 'Refund flow for declined cards', 'in_progress', 'high'],
      ['TASK-2', 'Retry webhooks', 'todo', 'medium'],
      ['TASK-4', 'Rotate keys', 'todo', 'low'],
      ['TASK-5', 'Check the invoices', 'testing', 'medium'],
    ]);
    expect(next?.id).toBe('TASK-2');
    expect(existsSync(path.join(scratch, 'status-hook-ran'))).toBe(false);
  });

  it('reads a status nobody mapped as open work not started', async () => {
    const { tasks } = await open(configured).pending(scope(), opts());
    expect(tasks.find((t) => t.id === 'TASK-5')?.status).toBe('todo');
  });

  it('shows one task with its description, and says when there is none of that id', async () => {
    const src = open(configured);
    expect(await src.get('TASK-1', opts())).toMatchObject({
      title: 'Refund flow for declined cards',
      description: 'Cards the bank declines get their money back',
      status: 'in_progress',
    });
    expect((await taskSourceFailure(src.get('TASK-99', opts()))).kind).toBe('not_found');
  });

  it('changes nothing: a status change is for Backlog.md itself, which runs the repository’s own hook', async () => {
    const err = await taskSourceFailure(open(configured).setStatus('TASK-2', 'in_progress', opts()));
    expect(err.kind).toBe('config');
    expect(err.fix).toBe('run `backlog task edit TASK-2 -s "In Progress"` in the repository');
    expect(run(repo.dir, 'task', 'view', 'TASK-2', '--plain')).toMatch(/Status: .*To Do/);
    // The hook is real: Backlog.md's own status change runs it.
    run(repo.dir, 'task', 'edit', 'TASK-4', '-s', 'Waiting on QA');
    expect(existsSync(path.join(scratch, 'status-hook-ran'))).toBe(true);
  });

  it('in a repository without Backlog.md says so instead of failing', async () => {
    const bare = makeRepo({ name: 'plain' });
    try {
      expect(await open(configured, bare.dir).pending(scope(bare.dir), opts())).toEqual({
        tasks: [],
        next: null,
        note: noBacklogNote,
      });
    } finally {
      bare.cleanup();
    }
  });
});

describe('which backlog runs', () => {
  it('with no command configured, the installed one on the PATH; with none installed, one line says how to install it', async () => {
    const { tasks } = await open({ adapter: 'backlog', timeoutMs: 30_000 }, repo.dir, {
      PATH: `${BIN_DIR}${path.delimiter}${process.env.PATH ?? ''}`,
    }).pending(scope(), opts());
    expect(tasks).toHaveLength(4);

    let failure: unknown;
    try {
      open({ adapter: 'backlog' }, repo.dir, { PATH: '/nonexistent-bin' });
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(TaskSourceError);
    expect((failure as TaskSourceError).message).toBe('Backlog.md is not installed: no backlog on the PATH');
    expect((failure as TaskSourceError).fix).toMatch(/npm install -g backlog\.md/);
  });

  it("never the repository's own node_modules/.bin/backlog while the project is not trusted", async () => {
    const marker = path.join(scratch, 'repo-backlog-ran');
    const bin = path.join(repo.dir, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'backlog'), `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(path.join(bin, 'backlog'), 0o755);
    try {
      const { tasks } = await open({ adapter: 'backlog', timeoutMs: 30_000 }, repo.dir, { PATH: BIN_DIR }).pending(
        scope(),
        opts(),
      );
      expect(tasks).toHaveLength(4);
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(path.join(repo.dir, 'node_modules'), { recursive: true, force: true });
    }
  });
});

describe('a backlog that hangs', () => {
  it('is ended at the deadline with every process it started, and counted against its breaker', async () => {
    const hanging = hangingProgram(scratch);
    const program = hanging.file;
    try {
      const src = open({ adapter: 'backlog', command: process.execPath, args: [program], timeoutMs: 1500 });
      const err = await taskSourceFailure(src.pending(scope()));
      expect(err.kind).toBe('timeout');
      expect(err.message).toBe(
        `Task source unavailable: timed out after 1500 ms at cli:${process.execPath} ${program}`,
      );
      expect(await goneWithin(hanging.grandchild())).toBe(true);
      expect(listBreakers(cache).find((b) => b.server === `cli:${process.execPath} ${program}`)).toMatchObject({
        failures: 1,
        state: 'closed',
      });
    } finally {
      hanging.kill();
    }
  });
});

describe('the hooks on a Backlog.md project', () => {
  it('SessionStart lists its tasks, PreToolUse names the task in progress, and follows the session’s own changes', async () => {
    const { home, cleanup } = tempHome({
      source: configured,
      hooks: { sessionStartDeadlineMs: 25_000, preToolUseDeadlineMs: PRE_TOOL_USE_DEADLINE_MAX_MS },
    });
    try {
      const start = await runHookHere('session-start', sessionStartInput(repo.dir, 'bl-1'), {
        home,
        timeoutMs: 40_000,
      });
      const context = start.output?.hookSpecificOutput.additionalContext ?? '';
      expect(context, start.stderr).toContain('[taskhooks] project shop, branch main: 4 pending tasks (live from cli:');
      expect(context).toContain('Next recommended task: TASK-2 "Retry webhooks" — priority medium, status todo.');
      expect(context).toContain('- TASK-1 "Refund flow for declined cards" [in_progress, high]');
      expect(context).not.toContain('Old migration');

      const edit = await runHookHere(
        'pre-tool-use',
        preToolUseInput(
          repo.dir,
          'Edit',
          { file_path: path.join(repo.dir, 'refunds.ts'), old_string: 'a', new_string: 'b' },
          'bl-1',
        ),
        { home, timeoutMs: 30_000 },
      );
      expect(edit.output?.hookSpecificOutput.additionalContext).toContain('Task in progress');
      expect(edit.output?.hookSpecificOutput.additionalContext).toContain(
        'TASK-1 "Refund flow for declined cards" (status in_progress)',
      );

      // The session finishes TASK-1 and starts TASK-2 through Backlog.md's own MCP server, as Claude would: PostToolUse
      // marks the snapshot stale, and the next PreToolUse fetches and names the task now in progress.
      const client = new Client({ name: 'taskhooks-test', version: '0.0.0' });
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [backlog.entry, 'mcp', 'start'],
          cwd: repo.dir,
          env: getDefaultEnvironment(),
          stderr: 'ignore',
        }),
      );
      try {
        for (const args of [
          { id: 'TASK-1', status: 'Done' },
          { id: 'TASK-2', status: 'In Progress' },
        ]) {
          const result = await client.callTool({ name: 'task_edit', arguments: args });
          const post = await runHookHere(
            'post-tool-use',
            postToolUseInput(repo.dir, 'mcp__backlog__task_edit', args, result, 'bl-1'),
            { home },
          );
          expect(post.code).toBe(0);
          expect(post.stdout).toBe('');
        }
      } finally {
        await client.close();
      }
      // Backlog.md's CLI can take longer than the longest PreToolUse fetch on two busy cores: the hook then keeps the
      // snapshot stale, says nothing new (TASK-1 was told), and the next call fetches again.
      const next = await hookUntil(
        () =>
          runHookHere('pre-tool-use', preToolUseInput(repo.dir, 'Bash', { command: 'git commit -am wip' }, 'bl-1'), {
            home,
            timeoutMs: 30_000,
          }),
        (r) => r.output !== null,
        { home, deadlineMs: PRE_TOOL_USE_DEADLINE_MAX_MS, attempts: 5 },
      );
      expect(next.code).toBe(0);
      expect(next.output?.hookSpecificOutput.additionalContext, hooksLog(home)).toContain(
        'TASK-2 "Retry webhooks" (status in_progress)',
      );
    } finally {
      cleanup();
    }
  });
});
