// PreToolUse never lets a call through because of what a repository's config holds: a key spelled with a dot beside
// the project's own protected paths, on every host that runs the hook (the command hook, the monitor's served hook and
// the MCP hook tool), and a run that cannot decide refuses while a guard may apply.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../../src/cache/cache.js';
import { loadSettings } from '../../../src/config/settings.js';
import { preToolUseHook } from '../../../src/hooks/events/pre-tool-use.js';
import { userPromptSubmitHook } from '../../../src/hooks/events/user-prompt-submit.js';
import { mcpToolHost } from '../../../src/hooks/hosts/mcp-tool.js';
import { runServedHook } from '../../../src/hooks/hosts/served.js';
import { failedAnswer } from '../../../src/hooks/hosts/refusal.js';
import { recordingLogger } from '../../helpers/cache.js';
import { demoProject, hookEnv, preToolUseInput, ROOT, runHookHere } from '../../helpers/hooks.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** A repository whose untrusted .claude/taskhooks.json protects secrets/** beside keys spelled with a dot. */
function dottedProject(): { home: string; dir: string } {
  const project = demoProject();
  cleanups.push(project.cleanup);
  const dir = project.repo.dir;
  mkdirSync(path.join(dir, '.claude'), { recursive: true });
  writeFileSync(
    path.join(dir, '.claude', 'taskhooks.json'),
    JSON.stringify({
      'source.project': 'x',
      hooks: { 'guards.protectedPaths': [], guards: { protectedPaths: ['secrets/**'] } },
    }),
  );
  return { home: project.home, dir };
}

const write = (dir: string) =>
  preToolUseInput(dir, 'Write', { file_path: path.join(dir, 'secrets', 'x'), content: 'k' });
const denied = {
  hookSpecificOutput: { permissionDecision: 'deny', permissionDecisionReason: expect.stringContaining('secrets/**') },
};

describe('a project key spelled with a dot', () => {
  it('leaves the command hook refusing a Write into a protected path', async () => {
    const { home, dir } = dottedProject();
    const run = await runHookHere('pre-tool-use', write(dir), { home, cwd: dir });
    expect(run.output).toMatchObject(denied);
  });

  it('leaves the served hook refusing it', async () => {
    const { home, dir } = dottedProject();
    const cache = openCache({ home });
    cleanups.push(() => cache.close());
    const out = await runServedHook('pre-tool-use', write(dir), {
      cache,
      log: recordingLogger([]),
      env: hookEnv(home),
    });
    expect(out).toMatchObject(denied);
  });

  it('leaves the MCP hook tool refusing it', async () => {
    const { home, dir } = dottedProject();
    const host = mcpToolHost(hookEnv(home, { CLAUDE_PROJECT_DIR: dir }));
    cleanups.push(() => host.close());
    const input = write(dir);
    const text = await host.call({ event: 'pre-tool-use', ...input, tool_input: JSON.stringify(input.tool_input) });
    expect(JSON.parse(text)).toMatchObject(denied);
  });
});

describe('a run that cannot decide', () => {
  it('refuses a tool call while a guard is on or the settings are unknown, and says nothing otherwise', async () => {
    const { home, dir } = dottedProject();
    const { settings } = await loadSettings({ cwd: dir, env: hookEnv(home) });
    const refused = {
      hookSpecificOutput: {
        permissionDecision: 'deny',
        permissionDecisionReason: expect.stringContaining('timed out'),
      },
    };
    expect(failedAnswer(preToolUseHook, settings, 'timed out')).toMatchObject(refused);
    expect(failedAnswer(preToolUseHook, undefined, 'timed out')).toMatchObject(refused);
    const unguarded = {
      ...settings,
      hooks: { ...settings.hooks, guards: { ...settings.hooks.guards, protectedPaths: [] } },
    };
    expect(failedAnswer(preToolUseHook, unguarded, 'failed')).toBeNull();
    expect(failedAnswer(userPromptSubmitHook, undefined, 'failed')).toBeNull();
  });
});

describe('a rule a project supplies', () => {
  it('is checked in bounded time on the served hook, and a rule set past its budget refuses the call', async () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    const dir = project.repo.dir;
    const deep = `${Array.from({ length: 40 }, (_, i) => `d${i}`).join('/')}/file.txt`;
    const writeRules = (rules: string[]) => {
      mkdirSync(path.join(dir, '.claude'), { recursive: true });
      writeFileSync(
        path.join(dir, '.claude', 'taskhooks.json'),
        JSON.stringify({ hooks: { guards: { protectedPaths: rules } } }),
      );
    };
    const cache = openCache({ home: project.home });
    cleanups.push(() => cache.close());
    const run = { cache, log: recordingLogger([]), env: hookEnv(project.home) };
    const writeDeep = preToolUseInput(dir, 'Write', { file_path: path.join(dir, deep), content: 'k' });
    writeRules([`${'**/'.repeat(8)}z`]);
    expect((await runServedHook('pre-tool-use', writeDeep, run)) ?? {}).not.toHaveProperty(
      'hookSpecificOutput.permissionDecision',
    );
    writeRules(['*a'.repeat(400)]);
    const longName = preToolUseInput(dir, 'Write', { file_path: path.join(dir, 'a'.repeat(4000)), content: 'k' });
    expect(await runServedHook('pre-tool-use', longName, run)).toMatchObject({
      hookSpecificOutput: {
        permissionDecision: 'deny',
        permissionDecisionReason: expect.stringContaining('steps to check'),
      },
    });
  });
});

describe("the plugin's PreToolUse", () => {
  it('blocks the call when its hook tool fails, times out or its server is gone; no other event does', () => {
    const hooks = JSON.parse(readFileSync(path.join(ROOT, 'hooks', 'hooks.json'), 'utf8')) as {
      hooks: Record<string, Array<{ hooks: Array<{ type: string; onFailure?: string }> }>>;
    };
    const policies = Object.entries(hooks.hooks).flatMap(([event, entries]) =>
      entries.flatMap((e) => e.hooks.filter((h) => h.type === 'mcp_tool').map((h) => [event, h.onFailure])),
    );
    expect(policies).toContainEqual(['PreToolUse', 'block']);
    expect(policies.filter(([, p]) => p !== undefined)).toEqual([['PreToolUse', 'block']]);
  });
});
