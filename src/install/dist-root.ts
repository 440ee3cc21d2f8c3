// The checkout install points the agents at: every built file its entries name must be there.
import { OPENCODE_PLUGIN_SCRIPT } from '../agents/opencode/config.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors/user.js';
import { packageRoot } from '../util/package.js';
import { HOOK_SCRIPTS } from './settings.js';
import { STATUS_LINE_SCRIPT } from './status-line.js';

/** The package's root, once each hook, the status line, the CLI and the OpenCode plugin are built there. */
export function distRoot(): string {
  const root = packageRoot();
  for (const script of [...HOOK_SCRIPTS, STATUS_LINE_SCRIPT, 'dist/cli.js', OPENCODE_PLUGIN_SCRIPT]) {
    if (!existsSync(path.join(root, script)))
      throw new UserError(`${path.join(root, script)} is missing; build taskhooks first (npm ci, or npm run bundle)`);
  }
  return root;
}
