// SessionStart keeps the tool-call hooks of a settings install from failing on every call: when the project's settings
// call `taskhooks mcp` through `mcp_tool` hooks and this session cannot reach that server, they become commands
// (src/install/route.ts, a lazy file: read only for projects whose settings hold such hooks).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HookDeps } from '../types.js';

/** How long SessionStart waits after a switch for Claude Code to reload the settings file before the first prompt. */
const RELOAD_MS = 1500;

/** Whether either project settings file may hold an `mcp_tool` hook: a text check, no parse. */
function mayHoldToolHooks(projectDir: string): boolean {
  return ['settings.local.json', 'settings.json'].some((name) => {
    try {
      return readFileSync(path.join(projectDir, '.claude', name), 'utf8').includes('"mcp_tool"');
    } catch {
      return false;
    }
  });
}

/** A line for the session when its tool-call hooks were switched to commands; undefined when nothing changed. */
export async function keepToolRoute(cwd: string, deps: HookDeps, env = process.env): Promise<string | undefined> {
  const projectDir = env.CLAUDE_PROJECT_DIR || cwd;
  if (deps.dryRun || !mayHoldToolHooks(projectDir)) return undefined;
  try {
    const { keepToolHooksReachable } = await import('../../install/route.js');
    // The command hook runs dist/hooks/session-start.js: the package root is two folders up.
    const root = path.resolve(path.dirname(process.argv[1] ?? ''), '..', '..');
    const switched = keepToolHooksReachable(projectDir, env, { node: process.execPath, root });
    if (!switched) return undefined;
    deps.log.warn({ why: switched.why, files: switched.files }, 'tool-call hooks switched to commands');
    await new Promise((r) => setTimeout(r, RELOAD_MS));
    return `taskhooks: ${switched.why}, so its tool-call hooks now run as commands (slower; ${switched.files.join(', ')} backed up first). Enable the server and run \`taskhooks install\` to go back; \`taskhooks doctor\` checks it.`;
  } catch (err) {
    deps.log.warn({ err }, 'could not check whether the tool-call hooks can reach taskhooks mcp');
    return undefined;
  }
}
