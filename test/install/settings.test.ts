import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  desiredHooks,
  type HttpHandler,
  isOwnServedHook,
  withServedEndpoint,
  withTaskhooksHooks,
} from '../../src/install/writing/settings.js';
import { ConfigSchema, PRE_TOOL_USE_DEADLINE_MAX_MS, SESSION_START_DEADLINE_MAX_MS } from '../../src/config/schema.js';
import type { Settings } from '../../src/config/settings.js';
import { preToolUseHook } from '../../src/hooks/events/pre-tool-use.js';
import { postToolBatchHook } from '../../src/hooks/events/post-tool-batch.js';
import { sessionStartHook } from '../../src/hooks/events/session-start.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('hook commands', () => {
  it('run from any cwd with spaces, quotes and $ in the paths', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks quote $HOME "x" '));
    const node = path.join(dir, 'my node');
    symlinkSync(process.execPath, node);
    const root = path.join(dir, 'pkg `root`');
    mkdirSync(path.join(root, 'dist', 'hooks'), { recursive: true });
    writeFileSync(
      path.join(root, 'dist', 'hooks', 'session-start.js'),
      'process.stdout.write("ran " + process.argv[1])',
    );
    const hooks = desiredHooks({ node, root, transport: 'command' });
    const handler = hooks.SessionStart.hooks[0];
    if (handler?.type !== 'command') throw new Error('expected a command hook');
    const out = execFileSync('/bin/sh', ['-c', handler.command], {
      cwd: os.tmpdir(),
      env: { PATH: '/nonexistent' },
      encoding: 'utf8',
    });
    expect(out).toBe(`ran ${path.join(root, 'dist', 'hooks', 'session-start.js')}`);
  });
});

describe('the PreToolUse entry', () => {
  it("gives the hook's watchdog time to answer at the longest deadline the config allows, before Claude Code's timeout", () => {
    expect(ConfigSchema.safeParse({ hooks: { preToolUseDeadlineMs: PRE_TOOL_USE_DEADLINE_MAX_MS + 1 } }).success).toBe(
      false,
    );
    const settings = { hooks: { preToolUseDeadlineMs: PRE_TOOL_USE_DEADLINE_MAX_MS } } as Settings;
    // Room for node to start and load the bundle before the watchdog's clock starts.
    const startup = 300;
    for (const transport of ['command', 'http'] as const)
      for (const guarded of [false, true]) {
        const entries = desiredHooks({
          node: '/n',
          root: '/r',
          transport,
          served: { port: 1, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0123ABCD', guarded },
        }).PreToolUse;
        for (const handler of (Array.isArray(entries) ? entries : [entries]).flatMap((g) => g.hooks))
          expect(preToolUseHook.watchdogMs(settings) + startup).toBeLessThan(handler.timeout * 1000);
      }
  });

  it('posts every watched call while a guard is on, and with none a Bash call only where it names git and no edit', () => {
    const served = { port: 4000, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0123ABCD' };
    const post = {
      type: 'http',
      url: 'http://127.0.0.1:4000/hooks/pre-tool-use',
      headers: { 'X-Taskhooks-Token': `$${served.tokenVar}` },
      allowedEnvVars: [served.tokenVar],
      timeout: 5,
    };
    const at = (guarded: boolean) =>
      desiredHooks({ node: '/n', root: '/r', transport: 'http', served: { ...served, guarded } }).PreToolUse;
    expect(at(true)).toEqual({
      matcher: 'Edit|Write|MultiEdit|NotebookEdit|Bash',
      hooks: [{ ...post, onFailure: 'block' }],
    });
    // With no guard an edit's reminder comes from PostToolBatch, which runs after every batch anyway.
    expect(at(false)).toEqual([{ matcher: 'Bash', hooks: [{ ...post, if: 'Bash(*git*)' }] }]);
  });
});

describe('the PostToolBatch entry', () => {
  it("gives the watchdog of its news' or reminder's fetch time to answer at the longest deadline, before the timeout", () => {
    const settings = { hooks: { preToolUseDeadlineMs: PRE_TOOL_USE_DEADLINE_MAX_MS } } as Settings;
    const startup = 300;
    for (const transport of ['command', 'http'] as const) {
      const entry = desiredHooks({
        node: '/n',
        root: '/r',
        transport,
        served: { port: 1, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0123ABCD', guarded: false },
      }).PostToolBatch;
      for (const handler of entry?.hooks ?? [])
        expect(postToolBatchHook.watchdogMs(settings) + startup).toBeLessThan(handler.timeout * 1000);
    }
  });
});

describe('the SessionStart entry', () => {
  it("gives the hook's watchdog time to answer at the longest deadline the config allows, before Claude Code's timeout", () => {
    expect(
      ConfigSchema.safeParse({ hooks: { sessionStartDeadlineMs: SESSION_START_DEADLINE_MAX_MS + 1 } }).success,
    ).toBe(false);
    const settings = { hooks: { sessionStartDeadlineMs: SESSION_START_DEADLINE_MAX_MS } } as Settings;
    const startup = 300;
    const handler = desiredHooks({ node: '/n', root: '/r', transport: 'command' }).SessionStart.hooks[0];
    expect(sessionStartHook.watchdogMs(settings) + startup).toBeLessThan((handler?.timeout ?? 0) * 1000);
  });
});

describe('the PostToolUse entry', () => {
  it('runs after MCP tool calls only, PostToolBatch after every batch, both waited on: news must reach the next request', () => {
    const { PostToolUse, PostToolBatch } = desiredHooks({ node: '/n', root: '/r', transport: 'command' });
    expect(PostToolUse).toEqual({
      matcher: 'mcp__.*',
      hooks: [{ type: 'command', command: '"/n" "/r/dist/hooks/post-tool-use.js"', timeout: 5 }],
    });
    expect(PostToolBatch).toEqual({
      matcher: '',
      hooks: [{ type: 'command', command: '"/n" "/r/dist/hooks/post-tool-batch.js"', timeout: 5 }],
    });
  });

  it('is an http hook over the served transport, and so is PostToolBatch', () => {
    const { PostToolUse, PostToolBatch } = desiredHooks({
      node: '/n',
      root: '/r',
      transport: 'http',
      served: { port: 4000, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0123ABCD', guarded: false },
    });
    expect(PostToolUse.hooks).toEqual([
      {
        type: 'http',
        url: 'http://127.0.0.1:4000/hooks/post-tool-use',
        headers: { 'X-Taskhooks-Token': '$TASKHOOKS_HOOK_TOKEN_0123ABCD' },
        allowedEnvVars: ['TASKHOOKS_HOOK_TOKEN_0123ABCD'],
        timeout: 5,
      },
    ]);
    expect(PostToolBatch?.hooks).toMatchObject([{ type: 'http', url: 'http://127.0.0.1:4000/hooks/post-tool-batch' }]);
  });
});

describe('an http hook install wrote', () => {
  const served = { port: 4000, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0123ABCD', guarded: false };
  const entries = () => Object.values(desiredHooks({ node: '/n', root: '/r', transport: 'http', served })).flat();
  const https = () => entries().flatMap((g) => g.hooks.filter((h) => h.type === 'http'));

  it('is recognised exactly: as written, or as an earlier install wrote it with the token itself', () => {
    expect(https().length).toBeGreaterThan(0);
    for (const h of https()) {
      expect(isOwnServedHook(h)).toBe(true);
      const { allowedEnvVars: _, ...earlier } = h as HttpHandler;
      expect(isOwnServedHook({ ...earlier, headers: { 'X-Taskhooks-Token': 'a'.repeat(64) } })).toBe(true);
    }
  });

  it('is not a look-alike with anything added, missing or changed', () => {
    const h = https()[0] as HttpHandler;
    for (const other of [
      { ...h, url: h.url.replace('127.0.0.1', 'localhost') },
      { ...h, timeout: 6 },
      { ...h, extra: true },
      { ...h, headers: { ...h.headers, Authorization: 'x' } },
      { ...h, headers: { 'X-Taskhooks-Token': '$HOME' }, allowedEnvVars: ['HOME'] },
      { ...h, url: h.url.replace(/\/hooks\/[a-z-]+$/, '/hooks/session-start') },
      { type: 'http', url: h.url },
    ])
      expect(isOwnServedHook(other), JSON.stringify(other)).toBe(false);
  });

  it('alone is pointed at a moved port; a look-alike beside it is left as it was', () => {
    const own = https()[0] as HttpHandler;
    const lookalike = { type: 'http', url: own.url, timeout: 5 };
    const moved = withServedEndpoint(
      { hooks: { PostToolUse: [{ matcher: 'mcp__.*', hooks: [own, lookalike] }] } },
      { port: 5000, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0123ABCD' },
    );
    expect(moved).toEqual({
      hooks: {
        PostToolUse: [{ matcher: 'mcp__.*', hooks: [{ ...own, url: own.url.replace(':4000', ':5000') }, lookalike] }],
      },
    });
  });
});

describe('withTaskhooksHooks', () => {
  const desired = desiredHooks({ node: '/n', root: '/r', transport: 'command' });

  it("takes taskhooks out of a group it shares with the user's handler and keeps the user's", () => {
    const mine = { type: 'command', command: 'echo mine' };
    const settings = {
      hooks: {
        PreToolUse: [
          { matcher: 'Bash', hooks: [mine, { type: 'command', command: '"/n" "/old/dist/hooks/pre-tool-use.js"' }] },
        ],
      },
    };
    const installed = withTaskhooksHooks(settings, desired);
    expect(installed.hooks).toEqual({
      PreToolUse: [{ matcher: 'Bash', hooks: [mine] }, desired.PreToolUse],
      SessionStart: [desired.SessionStart],
      PostToolUse: [desired.PostToolUse],
      PostToolBatch: [desired.PostToolBatch],
      UserPromptSubmit: [desired.UserPromptSubmit],
      SessionEnd: [desired.SessionEnd],
      Stop: [desired.Stop],
      SubagentStart: [desired.SubagentStart],
    });
    expect(withTaskhooksHooks(installed)).toEqual({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [mine] }] } });
  });

  it('recognises its PostToolUse entry, command or served, beside a user handler of the same event', () => {
    const mine = { matcher: 'mcp__.*', hooks: [{ type: 'command', command: 'log-mcp' }] };
    const served = desiredHooks({
      node: '/n',
      root: '/r',
      transport: 'http',
      served: { port: 4000, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0123ABCD', guarded: false },
    });
    for (const hooks of [desired, served]) {
      const installed = withTaskhooksHooks({ hooks: { PostToolUse: [mine] } }, hooks);
      expect(installed.hooks).toMatchObject({ PostToolUse: [mine, hooks.PostToolUse] });
      expect(withTaskhooksHooks(installed)).toEqual({ hooks: { PostToolUse: [mine] } });
    }
  });

  it('puts both PreToolUse groups where its one stood, and back, keeping the user handler between them', () => {
    const at = (guarded: boolean) =>
      desiredHooks({
        node: '/n',
        root: '/r',
        transport: 'http',
        served: { port: 4000, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0123ABCD', guarded },
      });
    const mine = { matcher: 'Read', hooks: [{ type: 'command', command: 'log-read' }] };
    const guardedOnce = withTaskhooksHooks({ hooks: { PreToolUse: [mine] } }, at(true));
    const unguarded = withTaskhooksHooks(guardedOnce, at(false));
    const split = at(false).PreToolUse;
    if (!Array.isArray(split)) throw new Error('expected the unguarded PreToolUse to be split');
    expect((unguarded.hooks as Record<string, unknown>).PreToolUse).toEqual([mine, ...split]);
    // A reinstall changes nothing; a guard turned on joins the groups again in their place.
    expect(withTaskhooksHooks(unguarded, at(false))).toEqual(unguarded);
    expect(withTaskhooksHooks(unguarded, at(true))).toEqual(guardedOnce);
    expect(withTaskhooksHooks(unguarded)).toEqual({ hooks: { PreToolUse: [mine] } });
  });

  it('leaves events it does not understand alone', () => {
    const settings = { hooks: { Custom: 'not an array' }, other: 1 };
    expect(withTaskhooksHooks(withTaskhooksHooks(settings, desired))).toEqual(settings);
  });
});
