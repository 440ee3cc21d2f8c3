// The taskhooks Claude Code plugin beside install's hooks: Claude Code runs both, so every hook twice. Claude Code
// enables a plugin in a settings file's `enabledPlugins`, as `taskhooks@<marketplace>: true`.
import { readFileSync } from 'node:fs';
import { isJsonObject } from '../util/object.js';
import { SCOPES, settingsFile } from './paths.js';

/** Whether a settings file's contents enable the taskhooks plugin. */
export function enablesTaskhooksPlugin(settings: unknown): boolean {
  if (!isJsonObject(settings) || !isJsonObject(settings.enabledPlugins)) return false;
  return Object.entries(settings.enabledPlugins).some(([k, v]) => k.startsWith('taskhooks@') && v === true);
}

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

/** Install's note when the plugin is enabled too: both would answer every event. */
export function bothRoutesNote(file: string): string {
  return `the taskhooks plugin is enabled too (${file}): Claude Code would run every taskhooks hook twice; keep one route: \`claude plugin uninstall taskhooks@taskhooks\`, or \`taskhooks uninstall\` here`;
}
