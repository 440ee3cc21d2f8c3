// News a monitor folds into a session's baseline and then answers too late (into a connection its client has
// closed) is not lost: the node hook the client falls back on looks again from the baseline before the monitor's look
// and tells it. Shown for the socket-first command other agents run, and for OpenCode's plugin; and for the notices
// and alerts a late monitor took at a session's start.
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addAlert } from '../../src/cache/alerts.js';
import { type Cache, openCache } from '../../src/cache/cache.js';
import { postNotice, takeNotices } from '../../src/home/notices.js';
import { retellNotices } from '../../src/home/notices-told.js';
import { runServedHook } from '../../src/hooks/hosts/served.js';
import type { HookName } from '../../src/hooks/events/events.js';
import { SOCKET_POST } from '../../src/install/writing/settings.js';
import { agentSocketCommand } from '../../src/install/writing/agent-hooks.js';
import { shellQuote } from '../../src/install/paths.js';
import { silentLogger } from '../helpers/cache.js';
import {
  closedPortUrl,
  demoProject,
  hookEnv,
  parseHookStdout,
  postToolUseInput,
  ROOT,
  runHook,
  runHookHere,
  seedSnapshot,
  sessionStartInput,
  task,
  unmarked,
  onMonitorSocket,
} from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * A session told its tasks at its prompt, then a critical task cached: news for its next tool call. The monitor on
 * the home's socket is the real served hook with its own cache, whose answer is never sent.
 */
async function sessionWithNews(session: string) {
  // A task server nothing answers: what the session hears comes from the cache alone.
  const server = await closedPortUrl();
  const project = demoProject({ config: { source: { servers: [server] } } });
  const KEY = { sourceKey: server, project: 'demo', branch: 'main' };
  cleanups.push(project.cleanup);
  const { home } = project;
  const dir = project.repo.dir;
  seedSnapshot(home, { ...KEY, tasks: [task('T-1', { status: 'in_progress' })] });
  const prompt = { session_id: session, cwd: dir, hook_event_name: 'UserPromptSubmit', prompt: 'go on' };
  expect((await runHookHere('user-prompt-submit', prompt, { home })).stdout).toBe('');
  seedSnapshot(home, {
    ...KEY,
    tasks: [task('T-1', { status: 'in_progress' }), task('T-2', { priority: 'critical', title: 'Checkout is down' })],
  });
  const cache = openCache({ home });
  cleanups.push(() => cache.close());
  const monitor = await silentMonitor(home, cache);
  return { home, dir, monitor };
}

/**
 * Runs each event as the monitor does and keeps its answer; the client hears nothing until it gives up. `looked`
 * settles once the first answer is worked out, however long a busy machine makes it.
 */
async function silentMonitor(home: string, cache: Cache) {
  const answers: string[] = [];
  let first: () => void = () => undefined;
  const looked = new Promise<void>((resolve) => (first = resolve));
  const server = http.createServer((req) => {
    const body: Buffer[] = [];
    req.on('data', (b: Buffer) => body.push(b));
    req.on('end', () => {
      const event = (req.url ?? '').replace('/hooks/', '') as HookName;
      const agent = req.headers['x-taskhooks-agent'] === 'opencode' ? { agent: 'opencode' as const } : {};
      const input: unknown = JSON.parse(Buffer.concat(body).toString('utf8'));
      void runServedHook(event, input, { cache, log: silentLogger(), env: hookEnv(home), caller: agent }).then((a) => {
        answers.push(JSON.stringify(a));
        first();
      });
    });
  });
  cleanups.push(await onMonitorSocket(server, home));
  return { answers, looked };
}

const NEWS = 'New critical task on branch main: T-2 (Checkout is down).';

/** The socket-first command as install writes it, with a wait the monitor's look fits in however busy the machine. */
function runSocketFirst(home: string, cwd: string, input: object): Promise<string> {
  const command = agentSocketCommand({
    node: shellQuote(process.execPath),
    script: shellQuote(path.join(ROOT, 'dist', 'hooks', 'post-tool-use.js')),
    post: shellQuote(path.join(ROOT, SOCKET_POST)),
    name: 'post-tool-use',
    socket: shellQuote(path.join(home, 'monitor.sock')),
    agent: 'qwen',
    wait: 3,
    gitOnly: false,
  });
  return new Promise((resolve, reject) => {
    const child = execFile('bash', ['-c', command], { cwd, env: hookEnv(home), timeout: 30_000 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
    child.stdin?.end(JSON.stringify(input));
  });
}

const contextOf = (stdout: string): string =>
  unmarked(
    (parseHookStdout(stdout)?.hookSpecificOutput as { additionalContext?: string } | undefined)?.additionalContext ??
      '',
  );

describe('news a late monitor told nobody', () => {
  it('is told by the node hook the socket-first command falls back on, and then not again', async () => {
    const { home, dir, monitor } = await sessionWithNews('late-news-1');
    const call = postToolUseInput(dir, 'Read', { file_path: path.join(dir, 'a.ts') }, 'x', 'late-news-1');

    const stdout = await runSocketFirst(home, dir, call);

    // The monitor looked first and folded the news into the baseline; its answer went nowhere.
    await monitor.looked;
    expect(monitor.answers).toHaveLength(1);
    expect(monitor.answers[0]).toContain(NEWS);
    expect(contextOf(stdout)).toContain(NEWS);
    const next = postToolUseInput(dir, 'Read', { file_path: path.join(dir, 'b.ts') }, 'x', 'late-news-1');
    expect((await runHook('post-tool-use', next, { home })).stdout).toBe('');
  });

  it("is told by the command entry OpenCode's plugin falls back on", async () => {
    const { home, dir, monitor } = await sessionWithNews('ses_late2');
    const saved = process.env.TASKHOOKS_HOME;
    process.env.TASKHOOKS_HOME = home;
    cleanups.push(() => (process.env.TASKHOOKS_HOME = saved));
    const plugin = (
      (await import(path.join(ROOT, 'dist', 'opencode-plugin.js'))) as {
        default: (ctx: unknown, o: unknown) => Promise<Record<string, (...a: unknown[]) => Promise<void>>>;
      }
    ).default;
    const client = { session: { promptAsync: async () => ({}) }, app: { log: async () => ({}) } };
    const hooks = await plugin({ client, directory: dir }, { node: process.execPath });
    const output = { output: 'built\n' };

    await hooks['tool.execute.after']?.(
      { tool: 'bash', sessionID: 'ses_late2', callID: 'call_1', args: { command: 'make' } },
      output,
    );

    await monitor.looked;
    expect(monitor.answers.length).toBeGreaterThan(0);
    expect(output.output).toContain(NEWS);
  });

  it('is told again only by a late run of the event the monitor told it at', async () => {
    const { home, dir } = await sessionWithNews('late-news-3');
    const read = (file: string) =>
      postToolUseInput(dir, 'Read', { file_path: path.join(dir, file) }, 'x', 'late-news-3');
    // Told on time by the call that found it: a later call's run after a late monitor has nothing to tell.
    expect(contextOf((await runHook('post-tool-use', read('a.ts'), { home })).stdout)).toContain(NEWS);
    const late = await runHook('post-tool-use', read('b.ts'), { home, env: { TASKHOOKS_MONITOR_LATE: '1' } });
    expect([late.code, late.stdout]).toEqual([0, '']);
  });
});

describe('a notice and an alert a late monitor took at a session start', () => {
  it('are told by the node hook that answers that start again, to that session only; the notice stays for the CLI', async () => {
    const server = await closedPortUrl();
    const project = demoProject({ config: { source: { servers: [server] } } });
    cleanups.push(project.cleanup);
    const { home } = project;
    const dir = project.repo.dir;
    const line = 'another process holds 127.0.0.1:4242, where taskhooks answered';
    postNotice(home, line);
    const cache = openCache({ home });
    cleanups.push(() => cache.close());
    const alert = 'T-7 (Release notes) is blocked';
    const blocked = {
      sourceKey: server,
      project: 'demo',
      kind: 'task_blocked',
      taskId: 'T-7',
      message: alert,
    } as const;
    cache.write(() => addAlert(cache, blocked));
    // The monitor runs the start and takes the notice; its answer never reaches the session.
    const served = await runServedHook('session-start', sessionStartInput(dir, 'late-start-1'), {
      cache,
      log: silentLogger(),
      env: hookEnv(home),
    });
    expect(JSON.stringify(served)).toContain(line);
    expect(JSON.stringify(served)).toContain(alert);

    const late = { home, env: { TASKHOOKS_MONITOR_LATE: '1' } };
    const other = contextOf((await runHook('session-start', sessionStartInput(dir, 'late-start-2'), late)).stdout);
    expect(other).not.toContain(line);
    expect(other).not.toContain(alert);
    const again = contextOf((await runHook('session-start', sessionStartInput(dir, 'late-start-1'), late)).stdout);
    expect(again).toContain(line);
    expect(again).toContain(alert);
    // Told now: nothing is kept to tell that session again.
    expect(retellNotices(home, 'late-start-1')).toEqual([]);
    expect(takeNotices(home, 'cli')).toEqual([line]);
  });
});
