// The real Claude Code CLI with taskhooks wired through either route — `taskhooks install` (http hooks to the running
// monitor, SessionStart handed to it over its socket) and the plugin (hooks/hooks.json's mcp_tool hooks to its bridge,
// joined to the monitor's mcp.sock) — the model stood in on loopback: a tool call starts no process of its own, and
// nothing is lost.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  claudeEnv,
  type ClaudeWorld,
  claudeWorld,
  hookAttachments,
  installWithMonitor,
  messagesStub,
  runClaude,
  runConversation,
} from '../helpers/claude.js';
import { bareOrigin, git, longPushChain } from '../helpers/git.js';
import { ROOMY_DEADLINES, ROOT, writeConfig } from '../helpers/hooks.js';
import { waitFor } from '../monitor/helpers.js';
import { readStore } from '../../src/store/tasks-db/reader.js';
import { MAX_HOOK_INPUT_BYTES } from '../../src/hooks/hosts/stdin-read.js';
import { recordingNode } from '../helpers/recording-node.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The e2e world of these tests: embedded source, roomy deadlines, a protected main. */
const world = (): ClaudeWorld =>
  claudeWorld({ hooks: { ...ROOMY_DEADLINES, guards: { protectedBranches: ['main'] } } }, cleanups);

/** What answers a tool-call event on each route, as Claude Code records it, and what a session of it is started with. */
const ROUTES = {
  install: {
    start: 'SessionStart',
    startedBy: /socket-post\.pl["'] [0-9.]+ ["'][^"']+\/monitor\.sock["'] /,
    args: [] as string[],
  },
  plugin: {
    // A new session's start comes with its first prompt's mcp_tool hook, from the server its bridge joined.
    start: 'UserPromptSubmit',
    startedBy: undefined,
    args: ['--plugin-dir', ROOT],
  },
};

/**
 * What each route needs before a session: install writes the project's files and starts the monitor; the plugin
 * comes with the session, its SessionStart answered by the monitor a session before would have started.
 */
async function wire(w: ReturnType<typeof world>, route: keyof typeof ROUTES): Promise<void> {
  if (route === 'install') await installWithMonitor(w);
  else await w.cli(['monitor', 'start']);
}

/**
 * A `node` first on the PATH that notes each script it runs, then runs it: the plugin's commands call `node` by name,
 * so a hook answered by its node script rather than the monitor shows here.
 */
function countingNode(dir: string): { path: string; scripts: () => string[] } {
  const bin = path.join(dir, 'counting-bin');
  const node = recordingNode(path.join(dir, 'node-runs.log'));
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'node'), node.text, { mode: 0o755 });
  return { path: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, scripts: node.runs };
}

describe.each(Object.keys(ROUTES) as Array<keyof typeof ROUTES>)('the %s route', (route) => {
  it('puts the task in the first request, and serves every tool call without a node process, the push guard included', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await wire(w, route);
    const file = path.join(w.dir, 'notes.txt');
    const api = await messagesStub([
      { tool: 'Bash', input: { command: 'true', description: 'nothing' } },
      { tool: 'Write', input: { file_path: file, content: 'x' } },
      // The guard reads the whole command: a name spelled with an escape is still git.
      { tool: 'Bash', input: { command: "$'\\x67it' push origin main", description: 'push' } },
    ]);
    cleanups.push(() => api.close());
    const node = countingNode(path.dirname(w.home));

    const result = await runClaude(w.dir, { ...claudeEnv(w.home, w.taskhooksHome, api.url), PATH: node.path }, [
      '--allowedTools',
      'Bash,Write',
      ...ROUTES[route].args,
    ]);

    const records = hookAttachments(w.home);
    expect(result.code).toBe(0);
    const first = api.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain('Next recommended task: TASK-001 \\"Add coupon codes\\"');
    expect(records.filter((r) => r.type !== 'hook_success' && r.type !== 'hook_additional_context')).toEqual([]);
    const { start, startedBy } = ROUTES[route];
    expect(records.some((r) => r.type === 'hook_additional_context' && r.hookEvent === start)).toBe(true);
    if (startedBy) expect(records.find((r) => r.hookEvent === start)?.command).toMatch(startedBy);
    // No node started at all, and no server loaded with the session: the monitor answered (the plugin's bridge, perl,
    // joined it). The install's SessionEnd and Stop run async through the socket client; the plugin's Stop is an
    // mcp_tool hook and its bridge's close ends the session.
    expect(node.scripts()).toEqual([]);
    if (route === 'install') {
      const ranBy = (event: string) =>
        records.filter((r) => r.type === 'hook_success' && r.hookEvent === event).map((r) => r.command);
      const answered = (n: number) =>
        Array.from({ length: n }, () => expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/[a-z-]+$/));
      // The refused call leaves no success record: its refusal is the tool's result.
      expect(ranBy('PreToolUse')).toEqual(answered(2));
      // PostToolUse waits for MCP tool calls; after Bash and Write only PostToolBatch runs, once a call.
      expect(ranBy('PostToolUse')).toEqual([]);
      expect(ranBy('PostToolBatch')).toEqual(answered(3));
      // The built-in store's task tools, served by the monitor that already runs: no process between start and request.
      expect(first).toContain('mcp__taskhooks__add_task');
    }
    expect(api.requests.at(-1)).toContain(
      'PreToolUse:Bash hook error: git push to branch main is refused: \\"main\\" is in hooks.guards.protectedBranches',
    );
    expect(existsSync(file)).toBe(true);
  });
});

describe.each(Object.keys(ROUTES) as Array<keyof typeof ROUTES>)('the %s route at a session end', (route) => {
  it('has the monitor record the work of the task the session held, no hook bundle loaded for it', async () => {
    // Debug lines from the monitor and from any hook: which of them ended the session shows in its own log.
    const w = claudeWorld(
      { hooks: { ...ROOMY_DEADLINES, guards: { protectedBranches: ['main'] } }, log: { level: 'debug' } },
      cleanups,
    );
    const { id } = JSON.parse((await w.cli(['tasks', 'add', 'Retry declined refunds', '--json'])).stdout) as {
      id: string;
    };
    await w.cli(['tasks', 'start', id]);
    await wire(w, route);
    const command = "printf 'retry' > refund.ts && git add refund.ts && git commit -q -m 'Retry declined refunds once'";
    const api = await messagesStub([{ tool: 'Bash', input: { command, description: 'commit' } }], {
      finalText: 'Left off: the issuer timeout.',
    });
    cleanups.push(() => api.close());
    const node = countingNode(path.dirname(w.home));
    const env = { ...claudeEnv(w.home, w.taskhooksHome, api.url), PATH: node.path };
    const result = await runClaude(w.dir, env, ['--allowedTools', 'Bash', ...ROUTES[route].args]);
    expect(result.code, result.stderr).toBe(0);

    // SessionEnd runs in the background after Claude Code exits: the monitor's record lands in tasks.db shortly.
    const file = path.join(w.taskhooksHome, 'tasks.db');
    const [record] = await waitFor(
      'the work record',
      () => {
        const found = readStore(file, (reads) => {
          const project = reads.listProjects().find((p) => p.name === 'shop');
          return project ? reads.listWorkRecords({ projectId: project.id, id }) : [];
        });
        return found && found.length > 0 ? found : undefined;
      },
      30_000,
    );
    expect(record).toMatchObject({
      commits: [{ subject: 'Retry declined refunds once' }],
      closingWords: 'Left off: the issuer timeout.',
    });
    // The install's socket client handed SessionEnd to the monitor; the plugin has no SessionEnd hook, its bridge's
    // close told the monitor. No node started for the end or a turn's end either way.
    expect(node.scripts().filter((s) => /\/(session-end|turn-end)\.js$/.test(s))).toEqual([]);
    const log = (name: string) => {
      const file = path.join(w.taskhooksHome, 'logs', name);
      return existsSync(file) ? readFileSync(file, 'utf8') : '';
    };
    // The monitor logs the end after the record is written: waited for, as the record was.
    await waitFor(
      'the end in the monitor log',
      () => log('monitor.log').includes('SessionEnd: session forgotten'),
      30_000,
    );
    expect(log('monitor.log')).toContain('SessionEnd: session forgotten');
    expect(log('hooks.log')).not.toContain('SessionEnd: session forgotten');
  });
});

describe('the plugin route across /clear and a compaction', () => {
  it('tells the conversation its task again at the next prompt after each, with no hook process', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await wire(w, 'plugin');
    const api = await messagesStub([]);
    cleanups.push(() => api.close());
    const node = countingNode(path.dirname(w.home));
    const env = { ...claudeEnv(w.home, w.taskhooksHome, api.url), PATH: node.path };

    const prompts = ['first words', '/clear', 'after the clear', '/compact', 'after the compaction'];
    const result = await runConversation(w.dir, env, prompts, ROUTES.plugin.args);

    expect(result.code, result.stderr).toBe(0);
    // A prompt's own request is the first to carry its words (the compaction's asks for a summary of them all).
    const requestOf = (words: string) => api.requests.find((body) => body.includes(words));
    const told = (body: string | undefined) => body?.split('Next recommended task: TASK-001').length ?? 0;
    // The clear began a conversation of its own: its first request carries the task once, and none of the first words.
    expect(requestOf('after the clear')).not.toContain('first words');
    expect(told(requestOf('after the clear'))).toBe(2);
    // The compaction folded the conversation into a summary: the prompt after it is told the task again.
    const compacted = requestOf('after the compaction');
    expect(compacted).not.toContain('after the clear');
    expect(told(compacted)).toBe(2);
    // No program ran for it: the plugin runs no SessionStart hook, and its server was never node.
    expect(node.scripts()).toEqual([]);
    const records = hookAttachments(w.home);
    expect(records.filter((r) => r.hookEvent === 'SessionStart')).toEqual([]);
    expect(records.filter((r) => r.type !== 'hook_success' && r.type !== 'hook_additional_context')).toEqual([]);
  });
});

describe('the install route with the push guard on', () => {
  it("refuses a push run by find -exec or by an alias defined on the same line: nothing reaches the remote's main", async () => {
    const w = world();
    await installWithMonitor(w);
    const { remote } = bareOrigin(w.dir, path.dirname(w.home), false);
    const api = await messagesStub([
      { tool: 'Bash', input: { command: 'find . -maxdepth 0 -exec git push origin main \\;', description: 'push' } },
      { tool: 'Bash', input: { command: 'git config alias.p push && git p origin main', description: 'push' } },
      // A push the guard lets through: the remote is reachable, and only the guard kept main off it.
      { tool: 'Bash', input: { command: 'git push origin HEAD:refs/heads/side', description: 'push a side branch' } },
    ]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Bash']);

    expect(result.code).toBe(0);
    expect(git(remote, 'for-each-ref', '--format=%(refname)').trim()).toBe('refs/heads/side');
    // The whole command line was refused, its alias definition with it.
    expect(() => git(w.dir, 'config', '--get', 'alias.p')).toThrow();
    const refused = api.requests.at(-1)?.match(/git push to branch main is refused/g) ?? [];
    expect(refused).toHaveLength(2);
  });
});

describe('the install route with both guards on', () => {
  it('refuses a push after a checkout of main, and a write into a protected folder through /proc/self/cwd', async () => {
    const w = claudeWorld(
      { hooks: { ...ROOMY_DEADLINES, guards: { protectedBranches: ['main'], protectedPaths: ['secrets/**'] } } },
      cleanups,
    );
    await installWithMonitor(w);
    const origin = bareOrigin(w.dir, path.dirname(w.home));
    const mainBefore = origin.main();
    git(w.dir, 'checkout', '-q', '-b', 'feature');
    git(w.dir, 'commit', '-q', '--allow-empty', '-m', 'feature work');
    const api = await messagesStub([
      {
        tool: 'Bash',
        input: { command: 'git checkout main && git merge --ff-only feature && git push', description: 'ship' },
      },
      { tool: 'Write', input: { file_path: '/proc/self/cwd/secrets/new1', content: 'x' } },
    ]);
    cleanups.push(() => api.close());

    const env = claudeEnv(w.home, w.taskhooksHome, api.url);
    const result = await runClaude(w.dir, env, ['--allowedTools', 'Bash,Write']);

    expect(result.code).toBe(0);
    expect(origin.main()).toBe(mainBefore);
    expect(git(w.dir, 'branch', '--show-current').trim()).toBe('feature');
    expect(existsSync(path.join(w.dir, 'secrets', 'new1'))).toBe(false);
    const last = api.requests.at(-1) ?? '';
    expect(last).toContain('git push to branch main is refused');
    // Over the hook port no agent process is named: the path is refused, not resolved in the monitor's own view.
    expect(last).toContain("/proc/self/cwd/secrets/new1 names a file through a process's own view");
  });
});

describe('the install route with a push hidden at the end of a long line', () => {
  it('refuses, within its deadline, a 23 KB chain of checkouts and `cd`s that ends in a push of main', async () => {
    const w = world();
    await installWithMonitor(w);
    const origin = bareOrigin(w.dir, path.dirname(w.home));
    const mainBefore = origin.main();
    const command = longPushChain(w.dir);
    expect(command.length).toBeGreaterThan(23_000);
    const api = await messagesStub([{ tool: 'Bash', input: { command, description: 'ship' } }]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Bash']);

    expect(result.code).toBe(0);
    expect(origin.main()).toBe(mainBefore);
    expect(git(w.dir, 'branch', '--show-current').trim()).toBe('feature');
    expect(api.requests.at(-1)).toContain('git push to branch main is refused');
  });
});

describe('the install route with no guard on', () => {
  it('posts no edit and a Bash call only where it names git: the reminder comes after the edit, once', async () => {
    const w = claudeWorld({ hooks: ROOMY_DEADLINES }, cleanups);
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await w.cli(['tasks', 'start', 'TASK-001']);
    await installWithMonitor(w);
    const api = await messagesStub([
      { tool: 'Bash', input: { command: 'true', description: 'nothing' } },
      { tool: 'Bash', input: { command: 'ls | wc -l', description: 'count' } },
      { tool: 'Write', input: { file_path: path.join(w.dir, 'notes.txt'), content: 'x' } },
      { tool: 'Bash', input: { command: 'cd . && git commit --allow-empty -q -m wip', description: 'commit' } },
    ]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), [
      '--allowedTools',
      'Bash,Write',
    ]);

    expect(result.code).toBe(0);
    const records = hookAttachments(w.home);
    const ran = (event: string) => records.filter((r) => r.type === 'hook_success' && r.hookEvent === event);
    // One post, not four: the commit's; `true`, `ls` and the Write never reached PreToolUse.
    expect(ran('PreToolUse').map((r) => r.command)).toEqual([
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/pre-tool-use$/),
    ]);
    expect(ran('PostToolBatch')).toHaveLength(4);
    // The reminder came with the Write's result, from PostToolBatch, and the commit found it said.
    const reminder = '[taskhooks] Task in progress on branch main: TASK-001 \\"Add coupon codes\\"';
    const afterWrite = api.requests.find((body) => body.includes('notes.txt'));
    expect(afterWrite).toContain(reminder);
    expect(api.requests.at(-1)?.split(reminder)).toHaveLength(2);
    expect(records.filter((r) => r.type === 'hook_additional_context').map((r) => r.hookEvent)).toContain(
      'PostToolBatch',
    );
  });
});

describe('a guard configured after an install made without one', () => {
  it('starts the session with the line that says edits go unchecked, and how to fix it', async () => {
    const w = claudeWorld({ hooks: ROOMY_DEADLINES }, cleanups);
    await installWithMonitor(w);
    // Set afterwards: the installed PreToolUse still posts only Bash calls that name git, and no edit.
    writeConfig(w.taskhooksHome, { hooks: { ...ROOMY_DEADLINES, guards: { protectedPaths: ['secrets/**'] } } });
    const secret = path.join(w.dir, 'secrets', 'key.txt');
    const api = await messagesStub([{ tool: 'Write', input: { file_path: secret, content: 'x' } }]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Write']);

    expect(result.code).toBe(0);
    const first = api.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain(
      "Note: taskhooks: hooks.guards.protectedPaths is set but this project's hooks were installed without a guard, so edits are not checked; run `taskhooks install`",
    );
    // What the line warns of: the write into the protected path reached no guard.
    expect(existsSync(secret)).toBe(true);
  });
});

describe('nothing is lost on the lean route', () => {
  it('a critical task added during a tool call reaches the next request of the same turn, from the monitor', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Fix the checkout total', '--json']);
    await wire(w, 'install');
    // The tool call says when it runs and lasts until the task is added: the change lands while it runs.
    const started = path.join(w.home, 'tool-started');
    const added = path.join(w.home, 'task-added');
    const command = `touch '${started}'; for i in $(seq 300); do [ -e '${added}' ] && break; sleep 0.2; done`;
    const api = await messagesStub([{ tool: 'Bash', input: { command, description: 'wait for the build' } }]);
    cleanups.push(() => api.close());
    const turn = runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Bash']);
    while (!existsSync(started)) await new Promise((r) => setTimeout(r, 50));
    const { id } = JSON.parse(
      (await w.cli(['tasks', 'add', 'Checkout is down', '--priority', 'critical', '--json'])).stdout,
    ) as { id: string };
    writeFileSync(added, id);
    expect((await turn).code).toBe(0);

    const news = JSON.stringify(`New critical task on branch main: ${id} (Checkout is down).`).slice(1, -1);
    const afterTool = api.requests.filter((body) => body.includes('"tool_result"'));
    expect(afterTool[0]).toContain(news);
    const told = hookAttachments(w.home).filter(
      (r) => r.type === 'hook_additional_context' && JSON.stringify(r.content).includes('Checkout is down'),
    );
    expect(told).toHaveLength(1);
    expect((told[0] as { hookName?: string }).hookName).toBe('PostToolBatch');
  });

  it('a forked session (--resume ID --fork-session) is told the tasks as they are now', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await wire(w, 'install');
    const api = await messagesStub([]);
    cleanups.push(() => api.close());
    const env = claudeEnv(w.home, w.taskhooksHome, api.url);
    const session = randomUUID();
    expect((await runClaude(w.dir, env, ['--session-id', session])).code).toBe(0);
    await w.cli(['tasks', 'add', 'Ship gift cards', '--priority', 'critical', '--json']);
    const before = api.requests.length;

    expect((await runClaude(w.dir, env, ['--resume', session, '--fork-session'])).code).toBe(0);

    // The original session's history holds the old context; only the fork's own SessionStart knows the new task.
    const forked = api.requests.slice(before).find((body) => body.includes('"messages"')) ?? '';
    expect(forked).toContain('Ship gift cards');
    const starts = hookAttachments(w.home).filter((r) => r.type === 'hook_success' && r.hookEvent === 'SessionStart');
    expect(starts.length).toBeGreaterThanOrEqual(2);
  });
});

describe.each(Object.keys(ROUTES) as Array<keyof typeof ROUTES>)(
  'the %s route, in a repository with a dotted key',
  (route) => {
    it('refuses a Write into its protected secrets/, and a 12 MiB Write there for its size', async () => {
      const w = world();
      mkdirSync(path.join(w.dir, '.claude'), { recursive: true });
      writeFileSync(
        path.join(w.dir, '.claude', 'taskhooks.json'),
        JSON.stringify({ 'source.project': 'x', hooks: { guards: { protectedPaths: ['secrets/**'] } } }),
      );
      await wire(w, route);
      const guarded = path.join(w.dir, 'secrets', 'x');
      const big = path.join(w.dir, 'secrets', 'big');
      const api = await messagesStub([
        { tool: 'Write', input: { file_path: guarded, content: 'k' } },
        { tool: 'Write', input: { file_path: big, content: 'y'.repeat(12 * 1024 * 1024) } },
      ]);
      cleanups.push(() => api.close());

      const env = claudeEnv(w.home, w.taskhooksHome, api.url);
      const result = await runClaude(w.dir, env, ['--allowedTools', 'Write', ...ROUTES[route].args]);

      expect(result.code).toBe(0);
      expect(existsSync(guarded)).toBe(false);
      expect(existsSync(big)).toBe(false);
      expect(api.requests.find((r) => r.includes('secrets/x is protected')) ?? '').toContain('protectedPaths');
      // Refused for its size; on a loaded machine the 12 MiB may not cross the plugin's stream within the hook's 5 s,
      // and Claude Code refuses it then (onFailure: block): refused either way, never let through.
      const refusal = new RegExp(
        `over ${MAX_HOOK_INPUT_BYTES / 1048576} MiB${route === 'plugin' ? '|timed out; blocking because onFailure' : ''}`,
      );
      expect(api.requests.at(-1) ?? '').toMatch(refusal);
    });
  },
);

describe('a tool call far larger than a JSON-RPC line', () => {
  it('a 6 MB Write into a protected path is refused by its guard, a 12 MB one anywhere for its size', async () => {
    const w = claudeWorld({ hooks: { ...ROOMY_DEADLINES, guards: { protectedPaths: ['secrets/**'] } } }, cleanups);
    await installWithMonitor(w);
    const guarded = path.join(w.dir, 'secrets', 'a.txt');
    const large = path.join(w.dir, 'notes', 'b.txt');
    const api = await messagesStub([
      { tool: 'Write', input: { file_path: guarded, content: 'x'.repeat(6 * 1024 * 1024) } },
      { tool: 'Write', input: { file_path: large, content: 'y'.repeat(12 * 1024 * 1024) } },
    ]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Write']);

    expect(result.code).toBe(0);
    expect(existsSync(guarded)).toBe(false);
    expect(existsSync(large)).toBe(false);
    const last = api.requests.at(-1) ?? '';
    expect(last).toContain('protectedPaths');
    expect(last).toContain(`input is over ${MAX_HOOK_INPUT_BYTES / 1048576} MiB`);
  });
});

/** What the world's running monitor publishes: its pid and the port it answers hooks on. */
const monitorInfo = (w: ClaudeWorld): { pid: number; hookPort: number } =>
  JSON.parse(readFileSync(path.join(w.taskhooksHome, 'monitor.json'), 'utf8')) as { pid: number; hookPort: number };
const monitorPid = (w: ClaudeWorld): number => monitorInfo(w).pid;

describe('a session whose monitor is gone', () => {
  it('starts with the task all the same, and refuses a guarded call rather than let it through unchecked', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await wire(w, 'install');
    const file = path.join(w.dir, 'notes.txt');
    // The first call kills the monitor mid-session; the write after it is one the guards watch.
    const api = await messagesStub([
      { tool: 'Bash', input: { command: `kill -9 ${monitorPid(w)}`, description: 'stop it' } },
      { tool: 'Write', input: { file_path: file, content: 'x' } },
    ]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), [
      '--allowedTools',
      'Bash,Write',
    ]);

    expect(result.code).toBe(0);
    const first = api.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain('Next recommended task: TASK-001');
    expect(existsSync(file)).toBe(false);
    // Claude Code's own words for a guarded call whose monitor cannot answer: the tool did not run.
    expect(api.requests.at(-1)).toContain('PreToolUse:Write hook error');
    expect(api.requests.at(-1)).toContain('blocking because onFailure is \\"block\\"');
  });

  it("on the plugin route, refuses a guarded call from the bridge's own server, and lets the others run", async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await wire(w, 'plugin');
    const file = path.join(w.dir, 'notes.txt');
    const api = await messagesStub([
      { tool: 'Bash', input: { command: `kill -9 ${monitorPid(w)}`, description: 'stop it' } },
      { tool: 'Write', input: { file_path: file, content: 'x' } },
      { tool: 'Bash', input: { command: 'git push origin main', description: 'push' } },
    ]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), [
      '--allowedTools',
      'Bash,Write',
      ...ROUTES.plugin.args,
    ]);

    expect(result.code).toBe(0);
    const first = api.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain('Next recommended task: TASK-001');
    // The guards decide each call as the monitor would: the write no rule protects runs, the push to main does not.
    expect(existsSync(file)).toBe(true);
    expect(api.requests.at(-1)).toContain('git push to branch main is refused');
  });

  it('with the monitor down before the session, SessionStart answers from the node hook, the task in the first request', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await wire(w, 'install');
    await w.cli(['monitor', 'stop']);
    const api = await messagesStub([]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), []);

    expect(result.code).toBe(0);
    const first = api.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain('Next recommended task: TASK-001');
    const starts = hookAttachments(w.home).filter((r) => r.type === 'hook_success' && r.hookEvent === 'SessionStart');
    expect(starts).toHaveLength(1);
  });
});

describe('another process on the port a state directory would serve on', () => {
  it('gets neither input nor token: install names the port the monitor holds instead', async () => {
    const seen: string[] = [];
    const squatter = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
      req.resume();
      res.end('{}');
    });
    // Any port the test holds: the state directory is told to serve there, as its own port would be taken.
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => squatter.close(resolve)));
    const held = (squatter.address() as AddressInfo).port;
    const w = claudeWorld({ hooks: ROOMY_DEADLINES, monitor: { hookPort: held } }, cleanups);
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await installWithMonitor(w);
    const api = await messagesStub([{ tool: 'Bash', input: { command: 'true', description: 'nothing' } }]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Bash']);

    expect(result.code).toBe(0);
    expect(seen).toEqual([]);
    const first = api.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain('Next recommended task: TASK-001');
    // Told once, to the first session after the monitor moved, with what to do about hooks installed before.
    expect(first).toContain(`another process holds 127.0.0.1:${held}`);
    const posted = hookAttachments(w.home)
      .filter((r) => r.type === 'hook_success' && r.hookEvent === 'PostToolBatch')
      .map((r) => r.command);
    expect(posted).toEqual([`http://127.0.0.1:${monitorInfo(w).hookPort}/hooks/post-tool-batch`]);
    expect(monitorInfo(w).hookPort).not.toBe(held);
  });
});

describe('another process takes the port after install, while the monitor is down', () => {
  it('a session started with those hooks is ended before its first prompt: no model request, the listener gets nothing', async () => {
    // A port free now, named as the state directory's: install writes it while the monitor holds it.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const w = claudeWorld({ hooks: ROOMY_DEADLINES, monitor: { hookPort: port } }, cleanups);
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await installWithMonitor(w);
    expect(monitorInfo(w).hookPort).toBe(port);
    const settingsFile = path.join(w.dir, '.claude', 'settings.local.json');
    const installed = readFileSync(settingsFile, 'utf8');
    await w.cli(['monitor', 'stop']);
    const seen: string[] = [];
    const squatter = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
      req.resume();
      res.end('{}');
    });
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => squatter.close(resolve)));
    await w.cli(['monitor', 'start']);
    expect(monitorInfo(w).hookPort).not.toBe(port);
    // The monitor points the project's hooks at where it answers now; a copy it could not rewrite keeps the old port.
    expect(readFileSync(settingsFile, 'utf8')).toContain(`127.0.0.1:${monitorInfo(w).hookPort}/hooks/`);
    writeFileSync(settingsFile, installed);
    const api = await messagesStub([{ tool: 'Bash', input: { command: 'true', description: 'nothing' } }]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Bash']);

    // Claude Code ignores `continue: false` from SessionStart: its process is ended (SIGTERM, exit 143).
    expect(result.code).toBe(143);
    expect(api.requests.filter((body) => body.includes('"messages"'))).toEqual([]);
    expect(seen).toEqual([]);
    // The next command says why, with the fix.
    const doctor = await w.cli(['doctor']).catch((e: { stdout: string; stderr: string }) => e);
    expect(`${doctor.stdout}${(doctor as { stderr?: string }).stderr ?? ''}`).toContain(
      `taskhooks stopped a session in ${w.dir} before any tool call`,
    );
  });
});

describe('two state directories on one machine', () => {
  it('each session is answered by its own monitor, on a port of its own', async () => {
    const worlds = [world(), world()];
    const apis = await Promise.all(
      worlds.map(async (w, i) => {
        await w.cli(['tasks', 'add', `Task of person ${i + 1}`, '--json']);
        await installWithMonitor(w);
        const api = await messagesStub([{ tool: 'Bash', input: { command: 'true', description: 'nothing' } }]);
        cleanups.push(() => api.close());
        return api;
      }),
    );

    const results = await Promise.all(
      worlds.map((w, i) =>
        runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, apis[i]!.url), ['--allowedTools', 'Bash']),
      ),
    );

    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const ports = worlds.map((w) => monitorInfo(w).hookPort);
    expect(new Set(ports).size).toBe(2);
    worlds.forEach((w, i) => {
      const first = apis[i]!.requests.find((body) => body.includes('"messages"')) ?? '';
      expect(first).toContain(`Task of person ${i + 1}`);
      expect(first).not.toContain(`Task of person ${2 - i}`);
      const posted = hookAttachments(w.home)
        .filter((r) => r.type === 'hook_success' && r.hookEvent === 'PostToolBatch')
        .map((r) => r.command);
      expect(posted).toEqual([`http://127.0.0.1:${ports[i]}/hooks/post-tool-batch`]);
    });
  });
});
