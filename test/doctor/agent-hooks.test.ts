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
    expect(doctor.stdout).toContain('Codex hooks');
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
    // Its hooks name this machine's node and checkout: install keeps them out of git, and says so.
    expect(installed.stdout).toMatch(/^✓ .*exclude: added \/\.codex\/hooks\.json, which name this machine's paths/m);
    const { stdout } = w.run(['doctor'], { env });
    expect(stdout).toMatch(/^\? Codex hooks .*registered once$/m);
    expect(stdout).toMatch(/^\s+hooks: /m);
    expect(stdout).toMatch(/^\s+cannot tell: `codex` is not on the PATH to ask$/m);
  });

  it('cannot tell without codex on the PATH, and says so', async () => {
    const empty = path.join(w.root, 'empty');
    mkdirSync(empty);
    expect(await codexApproval(w.project, { PATH: empty })).toEqual({
      unknown: 'cannot tell: `codex` is not on the PATH to ask',
    });
  });
});

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
