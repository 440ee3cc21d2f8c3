// doctor's row per agent: where each agent's configuration holds taskhooks' wiring, how its hooks reach taskhooks.
// Each agent's own approval is tested beside it (test/agents/<id>/approval.test.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../install/cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

describe("doctor's row per agent", () => {
  interface Step {
    name: string;
    ok: boolean;
    detail: string;
    fix?: string;
  }
  const steps = (env?: NodeJS.ProcessEnv): Step[] =>
    (JSON.parse(w.run(['doctor', '--json'], env ? { env } : {}).stdout) as { steps: Step[] }).steps;

  it('says where perl, the socket client, is missing: each hook is then a node process', () => {
    // Every Copilot CLI hook is handed to the monitor over its socket, by perl.
    expect(w.run(['install', '--agent', 'copilot']).code).toBe(0);
    w.write(path.join(w.home, '.copilot', 'config.json'), JSON.stringify({ trustedFolders: [w.root] }));
    const bin = path.join(w.root, 'bin-without-perl');
    mkdirSync(bin);
    for (const tool of ['git', 'node'])
      symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
    const row = (env?: NodeJS.ProcessEnv) => steps(env).find((s) => s.name === 'Copilot CLI hooks')?.detail ?? '';
    expect(row({ PATH: bin })).toContain('by perl, which is not on PATH: each call is a node process (install perl)');
    expect(row()).toMatch(/\nhooks: handed to the monitor over \S+monitor\.sock, where none answers now/);
  });

  it('gives each agent one row on whether its hooks run, which fails where they are registered twice', () => {
    expect(w.run(['install', '--transport', 'command']).code).toBe(0);
    expect(w.run(['install', '--agent', 'gemini']).code).toBe(0);
    expect(w.run(['install', '--agent', 'gemini', '--scope', 'user']).code).toBe(0);
    expect(w.run(['install', '--agent', 'opencode']).code).toBe(0);
    const found = steps();
    const names = found.map((s) => s.name);
    expect(names.filter((n) => n.endsWith(' hooks'))).toEqual([
      'Claude Code hooks',
      'Gemini CLI hooks',
      'OpenCode hooks',
    ]);
    expect(found.find((s) => s.name === 'Claude Code hooks')).toMatchObject({
      ok: true,
      detail: expect.stringMatching(
        new RegExp(
          `^${path.join(w.project, '.claude', 'settings.local.json')}: taskhooks' own, registered once\\ntool calls: commands: a node process per tool call`,
        ),
      ),
    });
    expect(found.find((s) => s.name === 'OpenCode hooks')).toMatchObject({
      ok: true,
      detail: expect.stringContaining(
        "opencode.json (project): taskhooks' own, registered once\nOpenCode loads the plugin",
      ),
    });
    const gemini = found.find((s) => s.name === 'Gemini CLI hooks');
    expect(gemini).toMatchObject({
      ok: false,
      detail: expect.stringMatching(
        /^taskhooks' hooks for Gemini CLI are registered 2 times: .*\(project\); .*\(user\)/,
      ),
      fix: expect.stringContaining('`taskhooks uninstall --agent gemini --scope user`'),
    });
    expect(w.run(['uninstall', '--agent', 'gemini', '--scope', 'user']).code).toBe(0);
    // Registered once, the row goes on to Gemini CLI's own word: its folder trust, which this project lacks.
    expect(steps().find((s) => s.name === 'Gemini CLI hooks')).toMatchObject({
      ok: false,
      detail: expect.not.stringContaining('registered'),
    });
  });
});
