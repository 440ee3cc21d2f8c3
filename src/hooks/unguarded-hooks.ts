// A guard configured after an install made without one: that install's PreToolUse posts only the Bash calls that name
// git and lets a call by while the monitor cannot answer, so an edit reaches no guard at all. doctor's tool-call step
// and SessionStart's note decide it by the one test here.
import { anyGuard, type GuardSettings } from '../config/settings.js';
import { isJsonObject } from '../util/object.js';
import { servedRoute } from './stray-hooks.js';

/**
 * Whether a Claude Code settings file's served PreToolUse posts some calls only when they match an `if`, or lets one by
 * when the monitor cannot answer: as install writes it with no guard on.
 */
export function installedWithoutGuard(settings: unknown): boolean {
  if (!isJsonObject(settings) || !isJsonObject(settings.hooks)) return false;
  const groups = settings.hooks.PreToolUse;
  if (!Array.isArray(groups)) return false;
  return groups
    .flatMap((g: unknown) => (isJsonObject(g) && Array.isArray(g.hooks) ? (g.hooks as unknown[]) : []))
    .some(
      (h) =>
        isJsonObject(h) && servedRoute(h)?.event === 'pre-tool-use' && (h.if !== undefined || h.onFailure !== 'block'),
    );
}

const GUARD_NAMES = ['protectedPaths', 'protectedBranches', 'requireActiveTask'] as const;

/**
 * The one line a session starts with when a guard is configured but a settings file among `files` (read by `read`)
 * holds PreToolUse as install writes it with none; undefined otherwise, and without reading a file when no guard is on.
 */
export function unguardedInstallNote(
  guards: GuardSettings,
  files: readonly string[],
  read: (file: string) => unknown,
): string | undefined {
  if (!anyGuard(guards) || !files.some((f) => installedWithoutGuard(read(f)))) return undefined;
  const set = GUARD_NAMES.filter((n) => (n === 'requireActiveTask' ? guards[n] !== 'off' : guards[n].length > 0));
  const names = set.map((n) => `hooks.guards.${n}`).join(' and ');
  const checksEdits = guards.protectedPaths.length > 0 || guards.requireActiveTask !== 'off';
  const unchecked = checksEdits ? 'edits are not checked' : 'a Bash call is checked only where its text names git';
  return `taskhooks: ${names} ${set.length === 1 ? 'is' : 'are'} set but this project's hooks were installed without a guard, so ${unchecked}; run \`taskhooks install\``;
}
