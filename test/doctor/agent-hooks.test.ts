// Whether Codex runs the hooks install wrote: Codex asked through its app server (the real CLI, a peer). The other
// agents' trust is tested beside its module (folder-trust, copilot-trust, opencode).
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentInstallations, codexApproval } from '../../src/doctor/agent-hooks.js';
import { makeWorld, type World } from '../install/cli.js';
import { peer } from '../helpers/peers.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

describe('codexApproval', () => {
  it("reports Codex's own word: its hooks need review until trusted", async () => {
    const bin = path.join(w.root, 'bin');
    mkdirSync(bin);
    symlinkSync(peer('@openai/codex').entry, path.join(bin, 'codex'));
    const env = {
      ...w.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      CODEX_HOME: path.join(w.root, 'codex'),
    };
    mkdirSync(env.CODEX_HOME);
    writeFileSync(
      path.join(env.CODEX_HOME, 'config.toml'),
      `[projects.${JSON.stringify(realpathSync(w.project))}]\ntrust_level = "trusted"\n`,
    );
    expect(w.run(['install', '--agent', 'codex'], { env }).code).toBe(0);
    expect(agentInstallations(w.project, env).map((a) => a.agent.id)).toEqual(['codex']);
    const answer = await codexApproval(w.project, env);
    expect(answer).toEqual({ approved: false, detail: "4 of 4 of taskhooks' hooks need review in Codex (untrusted)" });
    const doctor = w.run(['doctor'], { env });
    expect(doctor.stdout).toContain('Codex hooks approved');
    expect(doctor.stdout).toContain('Trust all and continue');
    // Every fix doctor prints can be followed: none sends the reader back to doctor.
    expect(doctor.stdout).not.toMatch(/fix:.*taskhooks doctor/);
  });

  it('shows ? in doctor, neither ✓ nor ✗, where codex is not on the PATH to ask', () => {
    const bin = path.join(w.root, 'nocodex');
    mkdirSync(bin);
    symlinkSync(process.execPath, path.join(bin, 'node'));
    symlinkSync('/usr/bin/git', path.join(bin, 'git'));
    const env = { ...w.env, PATH: bin };
    execFileSync('git', ['init', '-q'], { cwd: w.project });
    const installed = w.run(['install', '--agent', 'codex'], { env });
    expect(installed.code).toBe(0);
    // Its hooks name this machine's node and checkout: install says so, with the flag that keeps them out of git.
    expect(installed.stdout).toMatch(
      /^note: git would commit .* \.codex\/hooks\.json.*taskhooks install --git-exclude/m,
    );
    const line = w
      .run(['doctor'], { env })
      .stdout.split('\n')
      .find((l) => l.includes('Codex hooks approved'));
    expect(line).toMatch(/^\? Codex hooks approved .*cannot tell: `codex` is not on the PATH to ask/);
  });

  it('cannot tell without codex on the PATH, and says so', async () => {
    const empty = path.join(w.root, 'empty');
    mkdirSync(empty);
    expect(await codexApproval(w.project, { PATH: empty })).toEqual({
      unknown: 'cannot tell: `codex` is not on the PATH to ask',
    });
  });
});

describe("doctor's rows per agent", () => {
  interface Step {
    name: string;
    ok: boolean;
    detail: string;
    fix?: string;
  }
  const steps = (env?: NodeJS.ProcessEnv): Step[] =>
    (JSON.parse(w.run(['doctor', '--json'], env ? { env } : {}).stdout) as { steps: Step[] }).steps;

  it('names its agent in every row about one, and checks every agent with hooks is registered once', () => {
    expect(w.run(['install', '--transport', 'command']).code).toBe(0);
    expect(w.run(['install', '--agent', 'gemini']).code).toBe(0);
    expect(w.run(['install', '--agent', 'gemini', '--scope', 'user']).code).toBe(0);
    expect(w.run(['install', '--agent', 'opencode']).code).toBe(0);
    const found = steps();
    const names = found.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Claude Code tool-call hooks',
        'Claude Code hooks registered once',
        'Gemini CLI hooks registered once',
        'OpenCode plugin registered once',
      ]),
    );
    expect(names).not.toContain('tool-call hooks');
    expect(names).not.toContain('hooks registered once');
    expect(found.find((s) => s.name === 'hooks installed')?.detail).toContain(
      `${path.join(w.project, '.claude', 'settings.local.json')} (Claude Code)`,
    );
    expect(found.find((s) => s.name === 'OpenCode plugin registered once')).toMatchObject({ ok: true });
    const gemini = found.find((s) => s.name === 'Gemini CLI hooks registered once');
    expect(gemini).toMatchObject({
      ok: false,
      detail: expect.stringMatching(
        /^taskhooks' hooks for Gemini CLI are registered 2 times: .*\(project\); .*\(user\)/,
      ),
      fix: expect.stringContaining('`taskhooks uninstall --agent gemini --scope user`'),
    });
    expect(w.run(['uninstall', '--agent', 'gemini', '--scope', 'user']).code).toBe(0);
    expect(steps().find((s) => s.name === 'Gemini CLI hooks registered once')).toMatchObject({
      ok: true,
      detail: `once, in ${path.join(w.project, '.gemini', 'settings.json')}`,
    });
  });
});
