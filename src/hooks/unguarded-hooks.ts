// A guard configured after an install made without one: that install's PreToolUse posts only the Bash calls that name
// git and lets a call by while the monitor cannot answer, so an edit reaches no guard at all. Another agent's install
// without a guard has no hook before a call, or one that hands on only calls naming git. doctor's tool-call step and
// SessionStart's note decide it by the tests here.
import type { AgentAdapter } from '../agents/agent.js';
import { anyGuard, type GuardSettings } from '../config/settings.js';
import { isJsonObject } from '../util/object.js';
import { servedRoute } from './ports/stray-hooks.js';

/**
 * The socket client's option in another agent's before-call hook installed with no guard on: a call that does not name
 * git ends there.
 */
export const GIT_ONLY_FLAG = '--git-only';

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

/** The commands of an agent's hooks file under `event`: its groups' handlers, or Copilot CLI's flat ones. */
function commandsAt(doc: unknown, event: string): string[] {
  const entries = isJsonObject(doc) && isJsonObject(doc.hooks) ? doc.hooks[event] : undefined;
  if (!Array.isArray(entries)) return [];
  return entries
    .flatMap((e: unknown): unknown[] => (isJsonObject(e) && Array.isArray(e.hooks) ? (e.hooks as unknown[]) : [e]))
    .map((h) => (isJsonObject(h) ? (h.command ?? h.bash) : undefined))
    .filter((c): c is string => typeof c === 'string');
}

/**
 * Whether another agent's hooks file holds taskhooks' hooks (its SessionStart entry) as install writes them with no
 * guard on: no before-call hook, or one that hands on only the calls naming git.
 */
export function agentInstalledWithoutGuard(agent: AgentAdapter, doc: unknown): boolean {
  const at = (hook: string) =>
    agent.bindings
      .filter((b) => b.hooks.includes(hook))
      .flatMap((b) => commandsAt(doc, b.event))
      .filter((c) => c.includes(hook));
  if (at('session-start').length === 0) return false;
  const before = at('pre-tool-use');
  return before.length === 0 || before.every((c) => c.includes(` ${GIT_ONLY_FLAG} `));
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
  o: { unguarded?: (doc: unknown) => boolean; fix?: string; unchecked?: string } = {},
): string | undefined {
  const unguarded = o.unguarded ?? installedWithoutGuard;
  if (!anyGuard(guards) || !files.some((f) => unguarded(read(f)))) return undefined;
  const set = GUARD_NAMES.filter((n) => (n === 'requireActiveTask' ? guards[n] !== 'off' : guards[n].length > 0));
  const names = set.map((n) => `hooks.guards.${n}`).join(' and ');
  const checksEdits = guards.protectedPaths.length > 0 || guards.requireActiveTask !== 'off';
  const unchecked =
    o.unchecked ?? (checksEdits ? 'edits are not checked' : 'a Bash call is checked only where its text names git');
  return `taskhooks: ${names} ${set.length === 1 ? 'is' : 'are'} set but this project's hooks were installed without a guard, so ${unchecked}; run \`${o.fix ?? 'taskhooks install'}\``;
}
