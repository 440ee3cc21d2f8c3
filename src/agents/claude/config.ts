// Where Claude Code reads hooks: a settings file of one of three scopes. Its registrations are the hook definitions
// themselves (src/hooks), which install writes there.
import path from 'node:path';
import type { AgentConfig } from '../agent.js';
import { agentHome, homeDir, presenceOf } from '../config-home.js';
import { isJsonObject } from '../../util/object.js';

export { homeDir };

export const claudeConfig: AgentConfig = {
  bindings: [],
  timeoutUnitMs: 1000,
  scopes: ['local', 'project', 'user'],
  userRoot: homeDir,
  configFile(scope, projectDir, env) {
    switch (scope) {
      case 'project':
        return path.join(projectDir, '.claude', 'settings.json');
      case 'local':
        return path.join(projectDir, '.claude', 'settings.local.json');
      case 'user':
        return path.join(homeDir(env), '.claude', 'settings.json');
    }
  },
  idleWake: true,
  presence: presenceOf('claude', agentHome('.claude')),
};

/** The settings files Claude Code reads for a project at `projectDir`: the shared one, then the person's own. */
export const projectSettingsFiles = (projectDir: string): string[] => [
  claudeConfig.configFile('project', projectDir, {}),
  claudeConfig.configFile('local', projectDir, {}),
];

/** Whether a settings file's contents enable the taskhooks plugin: `enabledPlugins` as `taskhooks@<marketplace>: true`. */
export function enablesTaskhooksPlugin(settings: unknown): boolean {
  if (!isJsonObject(settings) || !isJsonObject(settings.enabledPlugins)) return false;
  return Object.entries(settings.enabledPlugins).some(([k, v]) => k.startsWith('taskhooks@') && v === true);
}
