// `taskhooks mcp` as Claude Code holds it for a session: the hook tool kept from the model, each call run through the
// event's one pipeline in the same long-lived process, with the arguments an `mcp_tool` hook sends.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { HOOKS_BY_NAME, type HookName } from '../../../src/hooks/events/events.js';
import {
  compactedHandler,
  HOOK_TOOL,
  hookInputFromArgs,
  mcpToolHandler,
} from '../../../src/hooks/hosts/mcp-tool-input.js';
import { GATES } from '../../../src/hooks/hosts/gates.js';
import { mcpToolHost } from '../../../src/hooks/hosts/mcp-tool.js';
import { homeFiles } from '../../../src/home/files.js';
import {
  demoProject,
  hookEnv,
  ROOMY_DEADLINES,
  ROOT,
  runHook,
  seedSnapshot,
  sessionStartInput,
  task,
  unmarked,
} from '../../helpers/hooks.js';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const AGENTHUB = 'http://127.0.0.1:9/mcp';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * What Claude Code 2.1.330 sends for an `mcp_tool` hook's `input`: each `${path}` replaced by the field's text, an
 * object by its JSON, an absent field by "".
 */
function substitute(template: Record<string, string>, hookInput: Record<string, unknown>): Record<string, string> {
  const at = (p: string): unknown =>
    p
      .split('.')
      .reduce<unknown>(
        (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
        hookInput,
      );
  return Object.fromEntries(
    Object.entries(template).map(([k, v]) => [
      k,
      v.replace(/\$\{([a-zA-Z_][a-zA-Z0-9_.]*)\}/g, (_, p: string) => {
        const value = at(p);
        if (value === undefined || value === null) return '';
        return typeof value === 'object' ? JSON.stringify(value) : String(value);
      }),
    ]),
  );
}

async function server(home: string, cwd: string, args: string[] = []): Promise<Client> {
  const client = new Client({ name: 'claude-code-stand-in', version: '0.0.0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    cwd,
    env: hookEnv(home) as Record<string, string>,
    stderr: 'pipe',
  });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return client;
}

/** Calls the hook tool as the event's `mcp_tool` hook would for `hookInput`; the answer parsed. */
async function hook(
  client: Client,
  name: HookName,
  hookInput: Record<string, unknown>,
): Promise<{
  hookSpecificOutput?: {
    hookEventName?: string;
    additionalContext?: string;
    permissionDecision?: string;
    permissionDecisionReason?: string;
  };
}> {
  const spec = HOOKS_BY_NAME[name];
  const handler = mcpToolHandler(spec, 'taskhooks');
  const result = await client.callTool({
    name: HOOK_TOOL,
    arguments: substitute(handler.input, { ...hookInput, hook_event_name: spec.event }),
  });
  const [first] = result.content as Array<{ type: string; text: string }>;
  return JSON.parse(first?.text ?? '') as never;
}

describe('the hook tool of taskhooks mcp', () => {
  it("is kept from the model; the store's tools come only with the embedded store, never with --hooks-only", async () => {
    const remote = demoProject({ config: { source: { servers: [AGENTHUB] } } });
    cleanups.push(remote.cleanup);
    const tools = async (c: Client) => (await c.listTools()).tools;
    const onRemote = await tools(await server(remote.home, remote.repo.dir));
    expect(onRemote.map((t) => t.name)).toEqual([HOOK_TOOL]);
    expect(onRemote[0]?._meta).toEqual({ ui: { visibility: ['app'] } });
    expect(onRemote[0]?.description).toMatch(/never call it yourself/);

    const local = demoProject();
    cleanups.push(local.cleanup);
    expect((await tools(await server(local.home, local.repo.dir))).map((t) => t.name)).toContain('add_task');
    expect((await tools(await server(local.home, local.repo.dir, ['--hooks-only']))).map((t) => t.name)).toEqual([
      HOOK_TOOL,
    ]);
  });

  it('refuses a push to a protected branch however the command spells git, from the whole command it is sent', async () => {
    const p = demoProject({
      config: { source: { servers: [AGENTHUB] }, hooks: { guards: { protectedBranches: ['main'] } } },
    });
    cleanups.push(p.cleanup);
    const client = await server(p.home, p.repo.dir);
    let calls = 0;
    // Each call its own id: the same event twice is answered once (another registration may have taken it).
    const bash = (command: string) =>
      hook(client, 'pre-tool-use', {
        session_id: 's1',
        cwd: p.repo.dir,
        tool_name: 'Bash',
        tool_use_id: `toolu_${++calls}`,
        tool_input: { command, description: 'push' },
      });
    for (const command of ["$'\\x67it' push origin main", 'sh -c "git push origin main"']) {
      const answer = await bash(command);
      expect(answer.hookSpecificOutput?.permissionDecision, command).toBe('deny');
      expect(answer.hookSpecificOutput?.permissionDecisionReason).toContain('git push to branch main is refused');
    }
    expect(await bash('ls -la')).toEqual({});
  });

  it('refuses a call over 8 MiB before reading it, and serves the next call as before', async () => {
    const p = demoProject({ config: { hooks: { guards: { protectedPaths: ['secrets/**'] } } } });
    cleanups.push(p.cleanup);
    const client = await server(p.home, p.repo.dir);
    const write = (content: string, id: string) =>
      hook(client, 'pre-tool-use', {
        session_id: 's1',
        cwd: p.repo.dir,
        tool_name: 'Write',
        tool_use_id: id,
        tool_input: { file_path: path.join(p.repo.dir, 'notes', 'big'), content },
      });
    const big = await write('x'.repeat(9 * 1024 * 1024), 'toolu_big');
    expect(big.hookSpecificOutput).toMatchObject({
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringContaining('over 8 MiB'),
    });
    expect(await write('small', 'toolu_small')).toEqual({});
  });

  it('tells a change once across the calls one process serves, and again after the next change', async () => {
    const p = demoProject({ config: { source: { servers: [AGENTHUB] }, hooks: ROOMY_DEADLINES } });
    cleanups.push(p.cleanup);
    const key = { sourceKey: AGENTHUB, project: 'demo', branch: 'main' };
    const own = task('T-1', { status: 'in_progress', title: 'Refactor the parser' });
    seedSnapshot(p.home, { ...key, tasks: [own] });
    const client = await server(p.home, p.repo.dir);
    const common = { session_id: 's1', transcript_path: path.join(p.home, 's1.jsonl'), cwd: p.repo.dir };
    let calls = 0;
    const afterRead = () =>
      hook(client, 'post-tool-use', {
        ...common,
        tool_name: 'Read',
        tool_use_id: `toolu_${++calls}`,
        tool_input: { file_path: path.join(p.repo.dir, 'a.ts') },
        tool_response: { file: { content: 'x' } },
      });
    // The session's first prompt records what it knows; nothing is news yet.
    expect(await hook(client, 'user-prompt-submit', { ...common, prompt: 'go on' })).toEqual({});

    seedSnapshot(p.home, { ...key, tasks: [own, task('T-9', { priority: 'critical', title: 'Checkout is down' })] });
    const told = await afterRead();
    expect(unmarked(told.hookSpecificOutput?.additionalContext ?? '')).toContain(
      'New critical task on branch main: T-9 (Checkout is down).',
    );
    expect(await hook(client, 'post-tool-batch', common)).toEqual({});
    expect(await afterRead()).toEqual({});

    seedSnapshot(p.home, { ...key, tasks: [own, task('T-10', { priority: 'urgent', title: 'Refunds fail' })] });
    expect(
      unmarked((await hook(client, 'post-tool-batch', common)).hookSpecificOutput?.additionalContext ?? ''),
    ).toContain('T-10 (Refunds fail)');
  });

  it("tells the session's start at its first prompt with --start-at-prompt: once, where no SessionStart told it, in its folder", async () => {
    const p = demoProject({ config: { source: { servers: [AGENTHUB] }, hooks: ROOMY_DEADLINES } });
    cleanups.push(p.cleanup);
    const tasks = [task('T-1', { status: 'in_progress', title: 'Refactor the parser' })];
    seedSnapshot(p.home, { sourceKey: AGENTHUB, project: 'demo', branch: 'main', tasks });
    const prompt = (client: Client, session: string, id: string) =>
      hook(client, 'user-prompt-submit', {
        session_id: session,
        transcript_path: path.join(p.home, `${session}.jsonl`),
        cwd: p.repo.dir,
        prompt: 'go on',
        prompt_id: id,
      });
    const client = await server(p.home, p.repo.dir, ['--start-at-prompt']);
    const first = await prompt(client, 's1', 'p1');
    expect(first.hookSpecificOutput?.hookEventName).toBe('UserPromptSubmit');
    expect(unmarked(first.hookSpecificOutput?.additionalContext ?? '')).toContain('Task in progress: T-1');
    expect(await prompt(client, 's1', 'p2')).toEqual({});

    // An install's SessionStart hook beside the plugin told the session already: its first prompt tells nothing more.
    const ran = await runHook('session-start', sessionStartInput(p.repo.dir, 's2'), { home: p.home, cwd: p.repo.dir });
    expect(ran.stdout).toContain('T-1');
    expect(await prompt(await server(p.home, p.repo.dir, ['--start-at-prompt']), 's2', 'p1')).toEqual({});

    // A server started in another folder starts no session named in this one.
    expect(await prompt(await server(p.home, p.home, ['--start-at-prompt']), 's3', 'p1')).toEqual({});
  });

  it('tells the start again after a compaction, at the next prompt, where PostCompact said so', async () => {
    const p = demoProject({ config: { source: { servers: [AGENTHUB] }, hooks: ROOMY_DEADLINES } });
    cleanups.push(p.cleanup);
    const tasks = [task('T-1', { status: 'in_progress', title: 'Refactor the parser' })];
    seedSnapshot(p.home, { sourceKey: AGENTHUB, project: 'demo', branch: 'main', tasks });
    const prompt = (id: string) =>
      hook(client, 'user-prompt-submit', { session_id: 's1', cwd: p.repo.dir, prompt: 'go on', prompt_id: id });
    const client = await server(p.home, p.repo.dir, ['--start-at-prompt']);
    expect(unmarked((await prompt('p1')).hookSpecificOutput?.additionalContext ?? '')).toContain('T-1');
    expect(await prompt('p2')).toEqual({});
    // What the plugin's PostCompact hook sends (hooks/hooks.json): answered with nothing, and no event run for it.
    const compacted = await client.callTool({
      name: HOOK_TOOL,
      arguments: substitute(compactedHandler('taskhooks').input, { session_id: 's1' }),
    });
    expect(compacted.content).toEqual([{ type: 'text', text: '{}' }]);
    expect(unmarked((await prompt('p3')).hookSpecificOutput?.additionalContext ?? '')).toContain(
      'Task in progress: T-1',
    );
    expect(await prompt('p4')).toEqual({});
  });

  it("tells a subagent its parent's task", async () => {
    const p = demoProject({ config: { source: { servers: [AGENTHUB] } } });
    cleanups.push(p.cleanup);
    seedSnapshot(p.home, {
      sourceKey: AGENTHUB,
      project: 'demo',
      branch: 'main',
      tasks: [task('T-1', { status: 'in_progress', title: 'Refactor the parser' })],
    });
    const client = await server(p.home, p.repo.dir);
    const answer = await hook(client, 'subagent-start', {
      session_id: 's1',
      cwd: p.repo.dir,
      agent_id: 'a1',
      agent_type: 'general-purpose',
    });
    expect(answer.hookSpecificOutput?.additionalContext).toContain(
      'Your parent session works on T-1 "Refactor the parser"',
    );
  });

  it('refuses an event it does not know, and SessionStart or SessionEnd for any session: a client that shows it the tool gains nothing', async () => {
    const p = demoProject({ config: { source: { servers: [AGENTHUB] } } });
    cleanups.push(p.cleanup);
    const client = await server(p.home, p.repo.dir);
    for (const event of ['no-such-event', 'session-start', 'session-end']) {
      const result = await client.callTool({
        name: HOOK_TOOL,
        arguments: { event, cwd: p.repo.dir, session_id: 'another-session', reason: 'other' },
      });
      expect(result.isError, event).toBe(true);
      expect(JSON.stringify(result.content)).toContain(`\\"${event}\\" was refused`);
    }
  });

  it('knows every gate an event names, so none is passed through unread', () => {
    const named = Object.values(HOOKS_BY_NAME).flatMap((h) => (h.gates ?? []).map((g) => `${g.module}.${g.check}`));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((key) => !Object.hasOwn(GATES, key))).toEqual([]);
  });

  it("stops a call at the event's gates, as the command entry does: no config read for a Read with no news", async () => {
    const p = demoProject({ config: { source: { servers: [AGENTHUB] } } });
    cleanups.push(p.cleanup);
    const host = mcpToolHost(hookEnv(p.home));
    cleanups.push(() => host.close());
    const spec = HOOKS_BY_NAME['post-tool-use'];
    const args = substitute(mcpToolHandler(spec, 'taskhooks').input, {
      session_id: 'gated-session',
      cwd: p.repo.dir,
      tool_name: 'Read',
      tool_input: { file_path: 'README.md' },
      tool_response: 'text',
      hook_event_name: spec.event,
    });
    expect(await host.call(args)).toBe('{}');
    expect(existsSync(homeFiles(p.home).configCache)).toBe(false);
  });
});

describe('hookInputFromArgs', () => {
  it('drops what Claude Code left empty, reads objects back from their JSON, keeps plain text as it came', () => {
    expect(
      hookInputFromArgs({
        event: 'post-tool-use',
        session_id: 's1',
        agent_id: '',
        tool_input: '{"command":"git push"}',
        tool_response: 'plain text answer',
      }),
    ).toEqual({
      event: 'post-tool-use',
      input: { session_id: 's1', tool_input: { command: 'git push' }, tool_response: 'plain text answer' },
    });
  });
});
