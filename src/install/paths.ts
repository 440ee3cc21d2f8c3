// Where Claude Code reads its settings and where install writes: everything install writes is absolute.
import path from 'node:path';
import { claudeConfig, homeDir } from '../agents/claude/config.js';

export const SCOPES = ['project', 'local', 'user'] as const;
export type SettingsScope = (typeof SCOPES)[number];

export { homeDir };

/** Claude Code's settings file of a scope (its adapter says where each lives). */
export function settingsFile(scope: SettingsScope, projectDir: string, env: NodeJS.ProcessEnv): string {
  return claudeConfig.configFile(scope, projectDir, env);
}

export const mcpJsonFile = (projectDir: string): string => path.join(projectDir, '.mcp.json');
export const projectConfigFile = (projectDir: string): string => path.join(projectDir, '.claude', 'taskhooks.json');

/** Double-quotes a path for the POSIX shell Claude Code runs hook commands in, so spaces and `$` stay literal. */
export function shellQuote(value: string): string {
  return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}
