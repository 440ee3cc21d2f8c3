// The taskhooks Claude Code plugin beside install's hooks: Claude Code runs both, so every hook twice. Claude Code
// enables a plugin in a settings file's `enabledPlugins`, as `taskhooks@<marketplace>: true`.
import { readFileSync } from 'node:fs';
import { UserError } from '../errors/user.js';
import { enablesTaskhooksPlugin } from '../agents/claude/config.js';
import { SCOPES, settingsFile } from './paths.js';

/** The first of Claude Code's settings files for `dir` that enables the plugin; a file that cannot be read enables none. */
export function pluginEnabledIn(dir: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const scope of SCOPES) {
    const file = settingsFile(scope, dir, env);
    let settings: unknown;
    try {
      settings = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue; // missing or broken: install's own read of the file says what is wrong with it
    }
    if (enablesTaskhooksPlugin(settings)) return file;
  }
  return undefined;
}

/**
 * Install's refusal while the plugin is enabled for `dir`: a second route would answer every event twice. Checked
 * before anything is started or written.
 */
export function refuseBesidePlugin(dir: string, env: NodeJS.ProcessEnv): void {
  const file = pluginEnabledIn(dir, env);
  if (file)
    throw new UserError(
      `the taskhooks plugin is enabled for this project (${file}) and already serves its Claude Code sessions: a second route would answer every event twice; keep the plugin, or remove it first (\`claude plugin uninstall taskhooks@taskhooks\`: both routes read the same tasks, which stay) and run \`taskhooks install\` again — nothing was changed`,
    );
}
