// Whether Claude Code will run taskhooks' hooks in this project: a settings file (project, local or user)
// whose hook commands point at taskhooks' dist/hooks scripts.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const HOOK_SCRIPTS = ['session-start.js', 'pre-tool-use.js'] as const;

export interface HookInstallation {
  /** Script name → the settings file that runs it. */
  found: Partial<Record<(typeof HOOK_SCRIPTS)[number], string>>;
  missing: string[];
  searched: string[];
  /** Settings files that exist but could not be read, with why: Claude Code cannot run hooks from them either. */
  unreadable: string[];
}

function commandsIn(file: string, unreadable: string[]): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.push(`${file}: ${(err as Error).message}`);
    return [];
  }
  try {
    const parsed = JSON.parse(text) as { hooks?: Record<string, Array<{ hooks?: Array<{ command?: unknown }> }>> };
    return Object.values(parsed.hooks ?? {})
      .flat()
      .flatMap((m) => m?.hooks ?? [])
      .map((h) => h?.command)
      .filter((c): c is string => typeof c === 'string');
  } catch (err) {
    unreadable.push(`${file}: not valid JSON (${(err as Error).message})`);
    return [];
  }
}

export function findHookInstallation(projectRoot: string, home = os.homedir()): HookInstallation {
  // A set: in the home folder itself the project's settings are the user's.
  const searched = [
    ...new Set([
      path.join(projectRoot, '.claude', 'settings.json'),
      path.join(projectRoot, '.claude', 'settings.local.json'),
      path.join(home, '.claude', 'settings.json'),
    ]),
  ];
  const found: HookInstallation['found'] = {};
  const unreadable: string[] = [];
  for (const file of searched) {
    for (const command of commandsIn(file, unreadable)) {
      for (const script of HOOK_SCRIPTS) {
        if (!found[script] && command.replace(/\\/g, '/').includes(`dist/hooks/${script}`)) found[script] = file;
      }
    }
  }
  return { found, missing: HOOK_SCRIPTS.filter((s) => !found[s]), searched, unreadable };
}
