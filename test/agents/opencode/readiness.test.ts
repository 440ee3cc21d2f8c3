// Whether OpenCode will load what `install --agent opencode` wrote: doctor finds the project's opencode.json among the
// agents' installations and says the plugin and its node are there, or which of them is gone.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentInstallations } from '../../../src/doctor/agent-hooks.js';
import { opencodeReadiness } from '../../../src/agents/opencode/readiness.js';
import { ownWiringJudge } from '../../../src/install/own-wiring.js';
import { packageRoot } from '../../../src/util/package.js';
import { makeWorld, type World } from '../../install/cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

describe('OpenCode in doctor', () => {
  it('finds the installation and says the plugin loads, then names what went missing', () => {
    expect(w.run(['install', '--agent', 'opencode']).code).toBe(0);
    const file = path.join(w.project, 'opencode.json');
    expect(agentInstallations(w.project, { HOME: w.home })).toEqual([
      expect.objectContaining({ scope: 'project', file }),
    ]);
    const judge = ownWiringJudge(packageRoot());
    expect(opencodeReadiness(file, judge)).toMatchObject({ approved: true });
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll(process.execPath, '/nowhere/node'));
    const broken = opencodeReadiness(file, judge);
    expect(broken).toMatchObject({ approved: false });
    expect(JSON.stringify(broken)).toContain('/nowhere/node');
  });

  it('shows the step in `taskhooks doctor`', () => {
    expect(w.run(['install', '--agent', 'opencode']).code).toBe(0);
    const r = w.run(['doctor']);
    expect(r.stdout).toContain('OpenCode hooks');
  });
});
