// The plugin route and the install route must wire the same hooks; the example config must load.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { ConfigSchema } from '../../src/config/schema.js';
import { HOOK_EVENTS } from '../../src/hooks/events/events.js';
import { desiredHooks, type SettingsHook } from '../../src/install/writing/settings.js';
import { COMPACTED_EVENT, PLUGIN_MCP_SERVER } from '../../src/hooks/hosts/mcp-tool-input.js';
import { REPO } from './cli.js';
// @ts-expect-error a plain .mjs script, run as it is by `npm run derive`
import { PLUGIN_LEAVES_OUT } from '../../scripts/derived-files.mjs';

const read = (rel: string): any => JSON.parse(readFileSync(path.join(REPO, rel), 'utf8'));

describe('plugin files', () => {
  it('hooks/hooks.json wires the events the installer wires as the same tool calls, and runs no program', () => {
    const file = read('hooks/hooks.json');
    const installed = desiredHooks({ node: 'node', root: '/plugin-root', transport: 'mcp' });
    // The same tool call to the plugin's own server; every other field (timeout, async, the tool's input) is what
    // install writes. Anything else is no plugin hook.
    const asPlugin = (h: SettingsHook) =>
      h.type === 'mcp_tool' ? { ...h, server: PLUGIN_MCP_SERVER } : { notAToolCall: h };
    expect(typeof file.description).toBe('string');
    const wired = Object.keys(installed).filter((e) => !(PLUGIN_LEAVES_OUT as string[]).includes(e));
    // SessionStart is told by the plugin's server (src/hooks/hosts/first-prompt.ts), which PostCompact tells of a
    // compaction.
    expect(PLUGIN_LEAVES_OUT).toContain('SessionStart');
    expect(Object.keys(file.hooks).sort()).toEqual([...wired, 'PostCompact'].sort());
    for (const [event, want] of Object.entries(installed).filter(([e]) => wired.includes(e))) {
      // The mcp transport, like the plugin, sends every watched call: one group each (only http splits PreToolUse).
      const groups = Array.isArray(want) ? want : [want];
      expect(file.hooks[event], event).toEqual(
        groups.map((g) => ({ matcher: g.matcher, hooks: g.hooks.map(asPlugin) })),
      );
    }
    expect(file.hooks.PostCompact).toEqual([
      {
        matcher: '',
        hooks: [
          {
            type: 'mcp_tool',
            server: PLUGIN_MCP_SERVER,
            tool: 'hook',
            input: { event: COMPACTED_EVENT, session_id: '${session_id}', agent_id: '${agent_id}' },
            timeout: 5,
          },
        ],
      },
    ]);
    // No hook starts a process: on Windows a program named bare is looked for in the project folder first.
    const handlers = Object.values(file.hooks as Record<string, Array<{ hooks: Array<{ type: string }> }>>).flatMap(
      (groups) => groups.flatMap((g) => g.hooks),
    );
    expect(handlers.filter((h) => h.type !== 'mcp_tool')).toEqual([]);
  });

  it('builds one hook entry per event of HOOK_EVENTS, and serves each', async () => {
    const { HOOK_ENTRIES } = (await import(pathToFileURL(path.join(REPO, 'scripts/bundles.mjs')).href)) as {
      HOOK_ENTRIES: Record<string, string>;
    };
    expect(Object.keys(HOOK_ENTRIES).sort()).toEqual(HOOK_EVENTS.map((e) => `hooks/${e.name}`).sort());
    expect(Object.keys(desiredHooks({ node: 'node', root: '/r', transport: 'command' })).sort()).toEqual(
      HOOK_EVENTS.map((e) => e.event).sort(),
    );
  });

  it('plugin.json names the license, carries the version of package.json and does not declare the hooks file again', () => {
    const plugin = read('.claude-plugin/plugin.json');
    expect(plugin).toMatchObject({ name: 'taskhooks', license: 'MIT' });
    // package.json's, which the build checks and writes into plugin/.claude-plugin/plugin.json.
    expect(plugin.version).toBe(read('package.json').version);
    // The server the tool-call hooks call, named by Claude Code plugin:<plugin>:<server>: the bridge to the monitor's
    // hook tool (test/cli/mcp-bridge.test.ts). No extension: Linux and macOS run the file itself, by its #! line (git
    // keeps it executable, and so does Claude Code's copy), and Windows finds mcp-bridge.cmd by PATHEXT.
    expect(`plugin:${plugin.name}:${Object.keys(plugin.mcpServers).join()}`).toBe(PLUGIN_MCP_SERVER);
    expect(plugin.mcpServers.taskhooks).toEqual({ command: '${CLAUDE_PLUGIN_ROOT}/hooks/mcp-bridge' });
    const modes = execFileSync('git', ['ls-files', '-s', 'hooks/mcp-bridge', 'hooks/mcp-bridge.cmd'], { cwd: REPO });
    expect(
      modes
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s/)[0]),
    ).toEqual(['100755', '100644']);
    expect(readFileSync(path.join(REPO, 'hooks/mcp-bridge.cmd'), 'utf8')).toMatch(/^@echo off\r\n(?:[^\n]*\r\n)+$/);
    expect(plugin.hooks).toBeUndefined();
    expect(readFileSync(path.join(REPO, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('marketplace.json lists this package as its one plugin, from the plugin folder, whose manifest has the version', () => {
    const market = read('.claude-plugin/marketplace.json');
    const pkg = read('package.json');
    expect(market.name).toBe('taskhooks');
    expect(typeof market.owner?.name).toBe('string');
    expect(market.plugins).toEqual([{ name: 'taskhooks', source: './plugin', description: expect.any(String) }]);
    expect(pkg.files).toContain('plugin');
  });

  it('.claude/taskhooks.example.json is a valid config and wires no hooks into this repository', () => {
    expect(ConfigSchema.safeParse(read('.claude/taskhooks.example.json')).success).toBe(true);
    for (const f of ['.claude/settings.json', '.claude/settings.local.json'])
      expect(() => readFileSync(path.join(REPO, f))).toThrow();
  });
});
