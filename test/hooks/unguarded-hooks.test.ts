// The one test doctor and SessionStart share for an install made without a guard, held to what install writes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuardSettings } from '../../src/config/settings.js';
import { AGENTS } from '../../src/agents/index.js';
import {
  agentInstalledWithoutGuard,
  installedWithoutGuard,
  unguardedInstallNote,
} from '../../src/hooks/unguarded-hooks.js';
import { desiredAgentHooks } from '../../src/install/writing/agent-hooks.js';
import { settingsReader } from '../../src/hooks/ports/stray-hooks.js';
import { desiredHooks, withTaskhooksHooks } from '../../src/install/writing/settings.js';

const installed = (guarded: boolean) =>
  withTaskhooksHooks(
    { permissions: { allow: [] } },
    desiredHooks({
      node: 'node',
      root: '/opt/taskhooks',
      transport: 'http',
      served: { port: 20_000, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0123ABCD', socket: '/h/monitor.sock', guarded },
    }),
  );

const guards = (over: Partial<GuardSettings> = {}): GuardSettings => ({
  protectedPaths: [],
  protectedBranches: [],
  requireActiveTask: 'off',
  ...over,
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('an install made without a guard', () => {
  it('is told apart from one made with a guard, and from settings without served hooks', () => {
    expect(installedWithoutGuard(installed(false))).toBe(true);
    expect(installedWithoutGuard(installed(true))).toBe(false);
    expect(installedWithoutGuard({ hooks: { PreToolUse: 'x' } })).toBe(false);
    expect(installedWithoutGuard(undefined)).toBe(false);
  });

  it('gives a session one line naming the guards set and what goes unchecked, reading each file once', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-unguarded-'));
    dirs.push(dir);
    const file = path.join(dir, 'settings.local.json');
    writeFileSync(file, JSON.stringify(installed(false)));
    const reads: string[] = [];
    const cached = settingsReader();
    const read = (f: string) => {
      reads.push(f);
      return cached(f);
    };
    expect(unguardedInstallNote(guards(), [file], read)).toBeUndefined();
    expect(reads).toEqual([]);
    expect(unguardedInstallNote(guards({ protectedPaths: ['secrets/**'] }), [file], read)).toBe(
      "taskhooks: hooks.guards.protectedPaths is set but this project's hooks were installed without a guard, so edits are not checked; run `taskhooks install`",
    );
    expect(unguardedInstallNote(guards({ protectedBranches: ['main'], requireActiveTask: 'ask' }), [file], read)).toBe(
      "taskhooks: hooks.guards.protectedBranches and hooks.guards.requireActiveTask are set but this project's hooks were installed without a guard, so edits are not checked; run `taskhooks install`",
    );
    expect(unguardedInstallNote(guards({ protectedBranches: ['main'] }), [file], read)).toContain(
      'so a Bash call is checked only where its text names git',
    );
    writeFileSync(file, JSON.stringify(installed(true)));
    expect(unguardedInstallNote(guards({ protectedPaths: ['x'] }), [file], settingsReader())).toBeUndefined();
  });
});

describe("another agent's install made without a guard", () => {
  const agentHooks = (id: 'gemini' | 'qwen' | 'codex' | 'copilot', guarded: boolean, socket = '/h/monitor.sock') => {
    const entries = desiredAgentHooks(AGENTS[id], {
      node: 'node',
      root: '/opt/taskhooks',
      served: { socket, guarded },
    });
    // As the file holds them: each event a list of its groups (Copilot CLI's, of its handlers).
    const hooks = Object.fromEntries(Object.entries(entries).map(([event, entry]) => [event, [entry]]));
    return { ...(id === 'copilot' ? { version: 1 } : {}), hooks };
  };

  it('is told apart from one made with a guard, whether the hooks hand calls to the socket or start node', () => {
    for (const id of ['gemini', 'qwen', 'codex', 'copilot'] as const) {
      expect(agentInstalledWithoutGuard(AGENTS[id], agentHooks(id, false)), id).toBe(true);
      expect(agentInstalledWithoutGuard(AGENTS[id], agentHooks(id, true)), id).toBe(false);
      // Where the home has no socket every hook is the node entry, the before-call one included.
      expect(agentInstalledWithoutGuard(AGENTS[id], agentHooks(id, true, '')), id).toBe(false);
    }
    // A file holding no hooks of taskhooks' is no install of it.
    expect(agentInstalledWithoutGuard(AGENTS.gemini, { hooks: {} })).toBe(false);
    expect(agentInstalledWithoutGuard(AGENTS.gemini, undefined)).toBe(false);
  });

  it("names the agent's install as the fix", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-unguarded-'));
    dirs.push(dir);
    const file = path.join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify(agentHooks('qwen', false)));
    const note = unguardedInstallNote(guards({ protectedPaths: ['secrets/**'] }), [file], settingsReader(), {
      unguarded: (doc) => agentInstalledWithoutGuard(AGENTS.qwen, doc),
      fix: 'taskhooks install --agent qwen',
      unchecked: 'tool calls are not all checked before they run',
    });
    expect(note).toBe(
      "taskhooks: hooks.guards.protectedPaths is set but this project's hooks were installed without a guard, so tool calls are not all checked before they run; run `taskhooks install --agent qwen`",
    );
  });
});
