// Whether Gemini CLI reads the project's settings: its trusted folders read the way it reads them.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { geminiApproval } from '../../../src/agents/gemini/approval.js';
import { makeWorld, type World } from '../../install/cli.js';

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
