// The plugin route and the install route must wire the same hooks; the example config must load.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { desiredHooks } from '../../src/install/settings.js';
import { REPO } from './cli.js';

const read = (rel: string): any => JSON.parse(readFileSync(path.join(REPO, rel), 'utf8'));

describe('plugin files', () => {
  it('hooks/hooks.json has the install route matchers and timeouts, quoted ${CLAUDE_PLUGIN_ROOT} commands', () => {
    const file = read('hooks/hooks.json');
    const installed = desiredHooks({ node: 'node', root: '${CLAUDE_PLUGIN_ROOT}', transport: 'command' });
    expect(typeof file.description).toBe('string');
    const scripts = { SessionStart: 'session-start', PreToolUse: 'pre-tool-use', PostToolUse: 'post-tool-use' } as const;
    expect(Object.keys(file.hooks)).toEqual(Object.keys(installed));
    for (const [event, script] of Object.entries(scripts) as Array<[keyof typeof scripts, string]>) {
      const [group] = file.hooks[event];
      expect(group.matcher).toBe(installed[event].matcher);
      // Every field but the command (node from PATH, the plugin root) is what install writes: timeout, async.
      expect({ ...group.hooks[0], command: undefined }).toEqual({ ...installed[event].hooks[0], command: undefined });
      expect(group.hooks[0].command).toBe(`node "\${CLAUDE_PLUGIN_ROOT}/dist/hooks/${script}.js"`);
    }
  });

  it("plugin.json carries package.json's version and license and does not declare the hooks file again", () => {
    const plugin = read('.claude-plugin/plugin.json');
    const pkg = read('package.json');
    expect(plugin).toMatchObject({ name: 'taskhooks', version: pkg.version, license: 'MIT' });
    expect(plugin.hooks).toBeUndefined();
    expect(readFileSync(path.join(REPO, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('.claude/taskhooks.example.json is a valid config and wires no hooks into this repository', () => {
    expect(ConfigSchema.safeParse(read('.claude/taskhooks.example.json')).success).toBe(true);
    for (const f of ['.claude/settings.json', '.claude/settings.local.json']) expect(() => readFileSync(path.join(REPO, f))).toThrow();
  });
});
