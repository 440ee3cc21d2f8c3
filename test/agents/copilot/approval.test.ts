// Whether Copilot CLI loads the repository's hooks: the trusted folders of its commented config.json.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copilotApproval } from '../../../src/agents/copilot/approval.js';
import { makeWorld, type World } from '../../install/cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

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
