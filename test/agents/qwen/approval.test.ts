// Whether Qwen Code reads the project's settings: its folder trust, and then its trusted folders, read as it reads them.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { qwenApproval } from '../../../src/agents/qwen/approval.js';
import { ownWiringJudge } from '../../../src/install/own-wiring.js';
import { packageRoot } from '../../../src/util/package.js';
import { makeWorld, type World } from '../../install/cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

const judge = ownWiringJudge(packageRoot());

describe('qwenApproval', () => {
  it('trusts every folder while its folder trust is off, and reads its trusted folders once it is on', () => {
    const env = { HOME: w.home };
    expect(qwenApproval(w.project, env, judge)).toMatchObject({ approved: true });
    w.write(path.join(w.home, '.qwen', 'settings.json'), '{"security":{"folderTrust":{"enabled":true}}}');
    expect(qwenApproval(w.project, env, judge)).toMatchObject({ approved: false });
    w.write(path.join(w.home, '.qwen', 'trustedFolders.json'), JSON.stringify({ [w.project]: 'TRUST_FOLDER' }));
    expect(qwenApproval(w.project, env, judge)).toMatchObject({ approved: true });
    w.write(path.join(w.home, '.qwen', 'settings.json'), '{"security":');
    expect(qwenApproval(w.project, env, judge)).toHaveProperty('unknown');
  });
});
