// What a session sees is never older than the last change: for every way of writing to the embedded task store, the
// very next hook (its code run in the test's process; the writers are processes of their own) shows the change.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { readStoreServerEndpoint } from '../../src/home/endpoint.js';
import {
  demoProject,
  hookEnv,
  hooksLog,
  hookUntil,
  type HookRun,
  preToolUseInput,
  ROOMY_DEADLINES,
  ROOT,
  runHookHere,
  sessionStartInput,
  unmarked,
  withHomeCache,
} from '../helpers/hooks.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { runCliOk } from '../helpers/cli.js';
import { monitorHome, waitFor, type MonitorHome } from '../monitor/helpers.js';

const CLI = path.join(ROOT, 'dist/cli.js');
const ROOMY = { hooks: ROOMY_DEADLINES };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cli(home: string, cwd: string, args: string[]): Promise<string> {
  return (await runCliOk(args, { cwd, env: hookEnv(home) })).stdout;
}

/** The context SessionStart injects, and the reminder PreToolUse gives before an edit (a fresh session each time). */
async function seen(home: string, repo: string, session: string): Promise<{ context: string; reminder: string }> {
  const start = await runHookHere('session-start', sessionStartInput(repo, session), { home });
  const edit = await runHookHere(
    'pre-tool-use',
    preToolUseInput(repo, 'Edit', { file_path: path.join(repo, 'a.ts') }, `${session}-edit`),
    { home },
  );
  return {
    context: start.output?.hookSpecificOutput.additionalContext ?? '',
    reminder: edit.output?.hookSpecificOutput.additionalContext ?? '',
  };
}

/**
 * The PreToolUse of the session's next edit, which must fetch the change live within its deadline: run again only when
 * it used all of it and still did not name the task in progress.
 */
function nextEdit(repo: string, home: string): Promise<HookRun> {
  return hookUntil(
    () =>
      runHookHere('pre-tool-use', preToolUseInput(repo, 'Edit', { file_path: path.join(repo, 'a.ts') }, 's1'), {
        home,
      }),
    (r) => (r.output?.hookSpecificOutput.additionalContext ?? '').includes('(status in_progress)'),
    { home, deadlineMs: ROOMY_DEADLINES.preToolUseDeadlineMs },
  );
}

/** An MCP client on `taskhooks mcp` over stdio, as Claude Code starts it from .mcp.json. */
async function stdioClient(home: string, cwd: string): Promise<Client> {
  const client = new Client({ name: 'test-claude', version: '1' });
  const env = Object.fromEntries(
    Object.entries(hookEnv(home)).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], cwd, env, stderr: 'ignore' }),
  );
  cleanups.push(() => client.close());
  return client;
}

const taskIdOf = (result: unknown): string => {
  const text = (result as { content: Array<{ text: string }> }).content[0]?.text ?? '{}';
  return (JSON.parse(text) as { id: string }).id;
};

describe('the embedded default, no monitor', () => {
  let project: ReturnType<typeof demoProject>;
  const setup = (): { home: string; repo: TempRepo } => {
    project = demoProject({ branch: 'main', commits: ['initial'], config: ROOMY });
    cleanups.push(project.cleanup);
    return project;
  };

  it('a project with no tasks yet says so and how to add one; the first `tasks add` shows in the next hook', async () => {
    const { home, repo } = setup();
    const first = await seen(home, repo.dir, 's1');
    expect(unmarked(first.context)).toMatch(
      /^\[taskhooks\] project demo, branch main: 0 pending tasks \(live from built-in store\)\.$/m,
    );
    expect(first.context).toContain('Note: no tasks yet in project demo: ask the agent to add one (its add_task tool)');
    expect(first.context).not.toContain('no task is tied');
    // The few task tools named once, for a model that searches for deferred tools.
    expect(first.context).toContain('Note: task tools (server taskhooks): list_tasks, add_task, update_task');

    await cli(home, repo.dir, ['tasks', 'add', 'Refund flow', '--priority', 'high']);
    const afterAdd = await seen(home, repo.dir, 's2');
    expect(afterAdd.context).toContain('1 pending task');
    expect(afterAdd.context).toContain('TASK-001 "Refund flow" — priority high, status todo');
  });

  it('`tasks start` leaves the cache holding the new state: SessionStart and PreToolUse both name it at once', async () => {
    const { home, repo } = setup();
    await cli(home, repo.dir, ['tasks', 'add', 'Refund flow', '--priority', 'high']);
    await cli(home, repo.dir, ['tasks', 'add', 'Retry webhooks']);
    await seen(home, repo.dir, 's1'); // a session caches the state before the change
    await cli(home, repo.dir, ['tasks', 'start', 'TASK-002']);
    const snap = withHomeCache(home, (s) =>
      readSnapshot(s, { sourceKey: 'embedded', project: 'demo', branch: 'main' }),
    );
    expect(snap?.staleSince).toBeUndefined(); // the CLI fetched the new state itself
    expect(snap?.tasks.find((t) => t.id === 'TASK-002')?.status).toBe('in_progress');
    const after = await seen(home, repo.dir, 's2');
    expect(after.context).toMatch(
      /TASK-002 "Retry webhooks" \[in_progress, medium, every branch\]|Task in progress: TASK-002/,
    );
    expect(after.reminder).toContain('Task in progress on branch main: TASK-002 "Retry webhooks" (status in_progress)');
  });

  it('a change Claude makes through `taskhooks mcp` (stdio) shows in the very next PreToolUse', async () => {
    const { home, repo } = setup();
    await cli(home, repo.dir, ['tasks', 'add', 'Refund flow']);
    const before = await seen(home, repo.dir, 's1');
    expect(before.reminder).toBe(''); // nothing in progress yet
    const client = await stdioClient(home, repo.dir);
    // The session's own tool, its project the folder's (the server was started there).
    await client.callTool({ name: 'update_task', arguments: { id: 'TASK-001', status: 'in_progress' } });
    // The store told the cache itself as the write committed: the snapshot already holds it, nothing marked stale.
    const told = withHomeCache(home, (s) =>
      readSnapshot(s, { sourceKey: 'embedded', project: 'demo', branch: 'main' }),
    );
    expect(told?.staleSince).toBeUndefined();
    expect(told?.tasks.find((t) => t.id === 'TASK-001')?.status).toBe('in_progress');

    const edit = await nextEdit(repo.dir, home);
    expect(edit.output?.hookSpecificOutput.additionalContext, hooksLog(home)).toContain(
      'TASK-001 "Refund flow" (status in_progress)',
    );
    expect(
      withHomeCache(home, (s) => readSnapshot(s, { sourceKey: 'embedded', project: 'demo', branch: 'main' }))
        ?.staleSince,
    ).toBeUndefined();
  });
});

describe('the embedded default with the monitor serving it over HTTP', () => {
  let m: MonitorHome;
  let repo: TempRepo;

  it('a change through the MCP HTTP endpoint shows in the next hook', async () => {
    m = monitorHome(ROOMY);
    cleanups.push(() => m.cleanup());
    repo = makeRepo({ name: 'shop', commits: ['initial'] });
    cleanups.push(repo.cleanup);
    await cli(m.home, repo.dir, ['tasks', 'add', 'Refund flow']); // in-process: no monitor yet
    m.run();
    await waitFor('the monitor to serve the embedded store', () => m.info()?.storeServerUrl, 60_000);
    const endpoint = readStoreServerEndpoint(m.home);
    expect(endpoint).toBeDefined();
    await seen(m.home, repo.dir, 's1');

    const client = new Client({ name: 'test-claude', version: '1' });
    const headers = { Authorization: `Bearer ${endpoint?.token ?? ''}` };
    await client.connect(new StreamableHTTPClientTransport(new URL(endpoint?.url ?? ''), { requestInit: { headers } }));
    cleanups.push(() => client.close());
    // The session's own tool; the store's only project is the one it means.
    const updated = await client.callTool({
      name: 'update_task',
      arguments: { id: 'TASK-001', status: 'in_progress' },
    });
    expect(taskIdOf(updated)).toBe('TASK-001');

    const edit = await nextEdit(repo.dir, m.home);
    expect(edit.output?.hookSpecificOutput.additionalContext, hooksLog(m.home)).toContain(
      'TASK-001 "Refund flow" (status in_progress)',
    );
  });
});
