// Where taskhooks lives on this machine and where Claude Code reads its settings: everything install writes is absolute.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCOPES = ['project', 'local', 'user'] as const;
export type SettingsScope = (typeof SCOPES)[number];

/**
 * The folder holding taskhooks' package.json, found by walking up from `fromUrl`: dist/cli.js, dist/install.js and
 * the sources under src/install all resolve to the same root.
 */
export function packageRoot(fromUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'taskhooks') return dir;
      } catch {
        // an unrelated or broken package.json on the way up: keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find taskhooks' package.json above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}

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
