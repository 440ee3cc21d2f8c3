// OpenCode's adapter (its plugin hooks' input in Claude Code's shape, the answer as the plugin reads it) and the built
// plugin itself, loaded as OpenCode loads it: it asks the monitor on the home's socket as OpenCode's agent, puts each
// answer where OpenCode's model reads it, falls back to the command entry when no monitor answers, and never throws
// but a guard's refusal.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTS } from '../../../src/agents/index.js';
import { homeFiles } from '../../../src/home/files.js';
import { demoProject, ROOT } from '../../helpers/hooks.js';

type Hook = (...args: unknown[]) => Promise<void>;
type Plugin = (ctx: unknown, options?: unknown) => Promise<Record<string, Hook>>;
const PLUGIN = path.join(ROOT, 'dist', 'opencode-plugin.js');

describe('the OpenCode adapter', () => {
  const { toCommon, fromCommon, reach } = AGENTS.opencode;

  it('maps its plugin hooks and tools onto Claude Code’s, the file named absolutely, keeping its own names', () => {
    const input = toCommon({
      hook_event_name: 'tool.execute.before',
      cwd: '/repo',
      tool_name: 'write',
      tool_input: { filePath: 'secrets/key', content: 'k' },
    });
    expect(input).toMatchObject({
      hook_event_name: 'PreToolUse',
      agent_event_name: 'tool.execute.before',
      tool_name: 'Write',
      agent_tool_name: 'write',
      tool_input: { file_path: '/repo/secrets/key' },
    });
    expect(toCommon({ hook_event_name: 'tool.execute.after', tool_name: 'taskhooks_manage_task' })).toMatchObject({
      hook_event_name: 'PostToolUse',
      tool_name: 'mcp__taskhooks__manage_task',
    });
    expect(toCommon({ hook_event_name: 'chat.message' }).hook_event_name).toBe('UserPromptSubmit');
  });

  it('refuses before a tool with the reason, and tells context only where its model reads it', () => {
    const deny = {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny' as const,
        permissionDecisionReason: 'no',
      },
    };
    expect(fromCommon(deny, 'tool.execute.before')).toEqual({ deny: 'no' });
    const context = { hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'ctx' } };
    expect(fromCommon(context, 'tool.execute.after')).toEqual({ context: 'ctx' });
    expect(fromCommon(context, 'tool.execute.before')).toBeNull();
    expect(reach('tool.execute.before')).toEqual({ context: false, decision: true });
    expect(reach('tool.execute.after')).toEqual({ context: true, decision: false });
  });
});

describe('the built plugin', () => {
  let home: string;
  const saved = process.env.TASKHOOKS_HOME;
  const closers: Array<() => unknown> = [];
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'th-opencode-'));
    process.env.TASKHOOKS_HOME = home;
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    rmSync(home, { recursive: true, force: true });
    process.env.TASKHOOKS_HOME = saved;
  });

  const load = async (directory: string): Promise<Record<string, Hook>> => {
    const plugin = ((await import(PLUGIN)) as { default: Plugin }).default;
    const client = { session: { promptAsync: async () => ({}) }, app: { log: async () => ({}) } };
    return plugin({ client, directory }, { node: process.execPath });
  };

  /** A monitor on the home's socket that answers each route from `answers` and records what it was sent. */
  async function monitor(answers: Record<string, object>) {
    const seen: Array<{ route: string; agent: unknown; body: Record<string, unknown> }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        const route = (req.url ?? '').replace('/hooks/', '');
        seen.push({
          route,
          agent: req.headers['x-taskhooks-agent'],
          body: JSON.parse(body) as Record<string, unknown>,
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers[route] ?? {}));
      });
    });
    await new Promise<void>((r) => server.listen(path.join(home, 'monitor.sock'), r));
    closers.push(() => new Promise((r) => server.close(r)));
    return seen;
  }

  it('asks the monitor as OpenCode and puts each answer where the model reads it', async () => {
    const seen = await monitor({
      'session-start': { context: 'pending: T-1' },
      'user-prompt-submit': { context: 'news' },
      'post-tool-use': { context: 'after' },
      'pre-tool-use': { context: 'reminder' },
    });
    const hooks = await load('/repo');
    const parts = [{ type: 'text', text: 'fix it', id: 'prt_1', sessionID: 's1', messageID: 'm1' }];
    await hooks['chat.message']?.({ sessionID: 's1' }, { message: { id: 'm1' }, parts });
    expect(parts[1]).toMatchObject({ type: 'text', text: 'news', synthetic: true, sessionID: 's1', messageID: 'm1' });
    expect(parts[1]?.id).toMatch(/^prt_[0-9a-f]{12}[0-9A-Za-z]{14}$/);
    const title = { system: ['You are a title generator. You output ONLY a thread title.'] };
    await hooks['experimental.chat.system.transform']?.({ sessionID: 's1' }, title);
    expect(title.system).toHaveLength(1);
    const system = { system: ['You are opencode'] };
    await hooks['experimental.chat.system.transform']?.({ sessionID: 's1' }, system);
    expect(system.system).toEqual(['You are opencode', 'pending: T-1']);
    const output = { output: 'hi\n' };
    await hooks['tool.execute.after']?.({ tool: 'bash', sessionID: 's1', args: { command: 'ls' } }, output);
    expect(output.output).toBe('hi\n\n\nafter\n\nreminder');
    // SessionStart once per session, before its first prompt; every request as OpenCode's, in its own words.
    expect(seen.map((s) => s.route)).toEqual(['session-start', 'user-prompt-submit', 'post-tool-use', 'pre-tool-use']);
    expect(seen.every((s) => s.agent === 'opencode')).toBe(true);
    expect(seen[1]?.body).toMatchObject({
      hook_event_name: 'chat.message',
      session_id: 's1',
      prompt: 'fix it',
      cwd: '/repo',
    });
  });

  it('refuses a call by throwing the reason, and only then', async () => {
    await monitor({ 'pre-tool-use': { deny: 'secrets/** is protected' } });
    const hooks = await load('/repo');
    const call = hooks['tool.execute.before'];
    await expect(call?.({ tool: 'write', sessionID: 's1' }, { args: { filePath: 'x' } })).rejects.toThrow(
      'secrets/** is protected',
    );
    // A tool its binding does not watch is not asked about.
    await expect(call?.({ tool: 'read', sessionID: 's1' }, { args: {} })).resolves.toBeUndefined();
    await expect(
      hooks.event?.({ event: { type: 'session.deleted', properties: { info: 7 } } }),
    ).resolves.toBeUndefined();
    await expect(hooks['tool.execute.after']?.(undefined, undefined)).resolves.toBeUndefined();
  });

  it('hands no token or input to the port of a monitor that is gone, which another process may hold now', async () => {
    const heard: string[] = [];
    const taker = http.createServer((req, res) => {
      heard.push(`${req.method} ${req.url}`);
      res.end('{}');
    });
    await new Promise<void>((r) => taker.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => taker.close(r)));
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const files = homeFiles(home);
    writeFileSync(files.lock, JSON.stringify({ pid: gone, startedAt: Date.now() }));
    writeFileSync(files.info, JSON.stringify({ pid: gone, hookPort: (taker.address() as AddressInfo).port }));
    writeFileSync(files.hookToken, 'a'.repeat(64));
    const hooks = await load('/repo');
    const output = { output: 'hi' };
    await hooks['tool.execute.after']?.({ tool: 'bash', sessionID: 's3', args: { command: 'ls' } }, output);
    expect(heard).toEqual([]);
  });

  it('runs the command entry when no monitor answers, which applies the guards', async () => {
    const p = demoProject({ config: { hooks: { guards: { protectedPaths: ['secrets/**'] } } } });
    closers.push(p.cleanup);
    process.env.TASKHOOKS_HOME = p.home;
    const hooks = await load(p.repo.dir);
    const write = { tool: 'write', sessionID: 's2' };
    await expect(
      hooks['tool.execute.before']?.(write, { args: { filePath: 'secrets/key', content: 'k' } }),
    ).rejects.toThrow('secrets/**');
    await expect(
      hooks['tool.execute.before']?.(write, { args: { filePath: 'src/a.ts', content: 'k' } }),
    ).resolves.toBeUndefined();
  });
});
