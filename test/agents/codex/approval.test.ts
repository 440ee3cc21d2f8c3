// Whether Codex runs the hooks install wrote: Codex asked through its app server (the real CLI, a peer).
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codexApproval } from '../../../src/agents/codex/approval.js';
import { agentInstallations } from '../../../src/doctor/agent-hooks.js';
import { ownWiringJudge } from '../../../src/install/own-wiring.js';
import { packageRoot } from '../../../src/util/package.js';
import { makeWorld, type World } from '../../install/cli.js';
import { peer } from '../../helpers/peers.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

const judge = ownWiringJudge(packageRoot());

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
    const answer = await codexApproval(w.project, env, judge);
    expect(answer).toEqual({ approved: false, detail: "5 of 5 of taskhooks' hooks need review in Codex (untrusted)" });
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
    expect(await codexApproval(w.project, { PATH: empty }, judge)).toEqual({
      unknown: 'cannot tell: `codex` is not on the PATH to ask',
    });
  });
});
