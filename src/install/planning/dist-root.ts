// The checkout install points the agents at: every built file its entries name must be there.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors/user.js';
import { packageRoot } from '../../util/package.js';
import { HOOK_SCRIPTS } from '../writing/settings.js';
import { AGENT_PLUGINS } from '../../agents/index.js';
import { STATUS_LINE_SCRIPT } from '../writing/status-line.js';

/** The package's root, once each hook, the status line, the CLI and the agents' plugins are built there. */
export function distRoot(): string {
  const root = packageRoot();
  for (const script of [...HOOK_SCRIPTS, STATUS_LINE_SCRIPT, 'dist/cli.js', ...AGENT_PLUGINS.map((p) => p.script)]) {
    if (!existsSync(path.join(root, script)))
      throw new UserError(`${path.join(root, script)} is missing; build taskhooks first (npm ci, or npm run bundle)`);
  }
  return root;
}
