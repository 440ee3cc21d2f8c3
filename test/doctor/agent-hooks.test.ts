// Whether Codex and Gemini CLI run the hooks install wrote: Codex asked through its app server (the real CLI, a peer),
// Gemini CLI's and Qwen Code's trusted folders read the way they read them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentInstallations, codexApproval, geminiApproval, qwenApproval } from '../../src/doctor/agent-hooks.js';
import { makeWorld, type World } from '../install/cli.js';
import { peer } from '../helpers/peers.js';
import { copilotApproval } from '../../src/doctor/copilot-trust.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

const trust = (rules: Record<string, string>) =>
  w.write(path.join(w.home, '.gemini', 'trustedFolders.json'), JSON.stringify(rules));

describe('geminiApproval', () => {
  it('takes the longest rule that holds the folder, a parent rule for its parent', () => {
    const env = { HOME: w.home };
    expect(geminiApproval(w.project, env)).toMatchObject({ approved: false });
    trust({ [w.root]: 'TRUST_FOLDER' });
    expect(geminiApproval(w.project, env)).toMatchObject({ approved: true });
    trust({ [w.root]: 'TRUST_FOLDER', [w.project]: 'DO_NOT_TRUST' });
    expect(geminiApproval(w.project, env)).toMatchObject({ approved: false });
    trust({ [path.join(w.project, 'src')]: 'TRUST_PARENT' });
    expect(geminiApproval(w.project, env)).toMatchObject({ approved: true });
    trust({ [path.join(w.project, 'src')]: 'TRUST_FOLDER' });
    expect(geminiApproval(w.project, env)).toMatchObject({ approved: false });
  });

  it('reads GEMINI_CLI_TRUSTED_FOLDERS_PATH where it is set, and cannot tell from a broken file', () => {
    const file = w.write(path.join(w.root, 'trusted.json'), '{not json');
    expect(geminiApproval(w.project, { HOME: w.home, GEMINI_CLI_TRUSTED_FOLDERS_PATH: file })).toHaveProperty(
      'unknown',
    );
  });
});

describe('qwenApproval', () => {
  it('trusts every folder while its folder trust is off, and reads its trusted folders once it is on', () => {
    const env = { HOME: w.home };
    expect(qwenApproval(w.project, env)).toMatchObject({ approved: true });
    w.write(path.join(w.home, '.qwen', 'settings.json'), '{"security":{"folderTrust":{"enabled":true}}}');
    expect(qwenApproval(w.project, env)).toMatchObject({ approved: false });
    w.write(path.join(w.home, '.qwen', 'trustedFolders.json'), JSON.stringify({ [w.project]: 'TRUST_FOLDER' }));
    expect(qwenApproval(w.project, env)).toMatchObject({ approved: true });
    w.write(path.join(w.home, '.qwen', 'settings.json'), '{"security":');
    expect(qwenApproval(w.project, env)).toHaveProperty('unknown');
  });
});

describe('copilotApproval', () => {
  it('reads trustedFolders of its commented config.json: a trusted folder trusts what lies inside it', () => {
    const env = { HOME: w.home };
    expect(copilotApproval(w.project, env)).toMatchObject({ approved: false });
    const config = path.join(w.home, '.copilot', 'config.json');
    w.write(config, `// managed\n{ "trustedFolders": [${JSON.stringify(path.join(w.root, 'elsewhere'))}] }\n`);
    expect(copilotApproval(w.project, env)).toMatchObject({ approved: false });
    w.write(config, `// managed\n{ "trustedFolders": [${JSON.stringify(w.root)}] }\n`);
    expect(copilotApproval(w.project, env)).toMatchObject({ approved: true });
    w.write(config, '{ "trustedFolders": ');
    expect(copilotApproval(w.project, env)).toHaveProperty('unknown');
  });
});

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
    // Its hooks name this machine's node and checkout: install says so, with the line that keeps them out of git.
    expect(installed.stdout).toMatch(/now holds paths of this machine .*>> \.git\/info\/exclude/);
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
