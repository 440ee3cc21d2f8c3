// Where Claude Code reads its settings and where install writes: everything install writes is absolute.
import os from 'node:os';
import path from 'node:path';

export const SCOPES = ['project', 'local', 'user'] as const;
export type SettingsScope = (typeof SCOPES)[number];

export function homeDir(env: NodeJS.ProcessEnv): string {
  return env.HOME?.trim() || os.homedir();
}

export function settingsFile(scope: SettingsScope, projectDir: string, env: NodeJS.ProcessEnv): string {
  switch (scope) {
    case 'project':
      return path.join(projectDir, '.claude', 'settings.json');
    case 'local':
      return path.join(projectDir, '.claude', 'settings.local.json');
    case 'user':
      return path.join(homeDir(env), '.claude', 'settings.json');
  }
}

export const mcpJsonFile = (projectDir: string): string => path.join(projectDir, '.mcp.json');
export const projectConfigFile = (projectDir: string): string => path.join(projectDir, '.claude', 'taskhooks.json');

/** Double-quotes a path for the POSIX shell Claude Code runs hook commands in, so spaces and `$` stay literal. */
export function shellQuote(value: string): string {
  return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}
