// PreToolUse: reads the cache, and the network only when a change was made that the cached snapshot does not show
// yet. Reminds the session of the task in progress when it edits, commits or pushes (once, and again only when that
// task changes) and applies the configured guards.
import { snapshotKey, readSnapshotBrief } from '../cache/snapshots.js';
import { claimTask } from '../cache/live-sessions.js';
import { readInjection, writeInjection } from '../cache/sessions.js';
import { livenessOf } from './live-session.js';
import type { Settings } from '../config/settings.js';
import { sanitize } from '../context/sanitize.js';
import { locateScope } from '../tasks/scope.js';
import type { Task } from '../tasks/task.js';
import { evaluateGuards, type GuardVerdict } from './guards.js';
import { candidateCall, readGitCall, type WatchedCall } from './watched.js';
import type { HookInput } from './input-fields.js';
import type { Trace } from './trace.js';
import type { HookDeps, HookOutput, HookResult } from './types.js';
import type { CommandHook } from './types.js';

/** session_injections key of the task last named in a reminder ('' = none was in progress). */
const REMINDER_KEY = 'pre-tool-use:in-progress';

function reminderLine(task: Task, branch: string): string {
  const where = branch ? ` on branch ${sanitize(branch, 100)}` : '';
  return `[taskhooks] Task in progress${where}: ${sanitize(task.id, 64)} "${sanitize(task.title, 160)}" (status ${task.status}). Keep this change within it, or update the task when the work moves on.`;
}

function answer(verdict: GuardVerdict | undefined, reminder: string | undefined): HookOutput {
  const output: HookOutput = { hookSpecificOutput: { hookEventName: 'PreToolUse' } };
  if (verdict) {
    output.hookSpecificOutput.permissionDecision = verdict.decision;
    output.hookSpecificOutput.permissionDecisionReason = verdict.reason;
  }
  if (reminder) output.hookSpecificOutput.additionalContext = reminder;
  return output;
}

export async function preToolUse(input: HookInput, deps: HookDeps): Promise<HookResult> {
  const candidate = candidateCall(input);
  if (!candidate) return { output: null, trace: [{ kind: 'tool-ignored', tool: input.tool_name, why: 'not-watched' }] };
  if (!input.cwd) {
    deps.log.warn({ tool: input.tool_name }, 'PreToolUse input has no cwd: nothing said');
    return { output: null, trace: [{ kind: 'no-cwd' }] };
  }
  const { settings, cache, log } = deps;
  const { scope } = locateScope(settings.project, input.cwd);
  const branch = scope.branch || null;
  let snapshot = readSnapshotBrief(cache, snapshotKey(settings.source.key, scope));
  const trace: Trace = [
    { kind: 'scope', project: scope.project, branch: scope.branch },
    snapshot ? { kind: 'snapshot', fetchedAt: snapshot.fetchedAt, stale: snapshot.stale } : { kind: 'snapshot' },
  ];
  // Reading a shell command costs a cold hook a few milliseconds: done only when an answer depends on it, or before a
  // live fetch, which costs far more and is wasted on a command that only mentions a commit or push (grep -rn push).
  let git: WatchedCall | undefined;
  if (candidate.kind === 'bash' && snapshot?.stale && deps.allowNetwork) {
    git = await readGitCall(candidate.command);
    if (!git) {
      trace.push({ kind: 'bash-no-git' });
      return { output: null, trace };
    }
  }
  if (snapshot?.stale) {
    if (!deps.allowNetwork) trace.push({ kind: 'offline' });
    else {
      // A file of its own (dist/hooks/lazy/live-fetch.js): a hook that answers from the cache never parses it.
      const { liveSnapshot } = await import('./live-fetch.js');
      const live = await liveSnapshot({
        hook: 'PreToolUse',
        settings,
        cache,
        log,
        scope,
        startedAt: deps.startedAt ?? Date.now(),
        seenFetchedAt: snapshot.fetchedAt,
      });
      trace.push({ kind: 'fetched', outcome: live.outcome });
      if (live.ok) snapshot = readSnapshotBrief(cache, snapshotKey(settings.source.key, scope));
    }
  }
  const inProgress = snapshot?.inProgress;
  trace.push({
    kind: 'in-progress',
    ...(inProgress ? { id: inProgress.id } : {}),
    unknown: snapshot?.tasksUnknown === true,
  });

  const current = inProgress?.id ?? '';
  const sessionId = input.session_id;
  const previous = sessionId ? readInjection(cache, sessionId, REMINDER_KEY) : undefined;
  const guards = settings.hooks.guards;

  let call: WatchedCall;
  if (candidate.kind === 'edit') call = candidate;
  else if (guards.protectedBranches.length === 0 && previous === current) {
    trace.push({ kind: 'bash-unread', read: git !== undefined });
    return { output: null, trace };
  } else {
    git ??= await readGitCall(candidate.command);
    if (!git) {
      trace.push({ kind: 'bash-no-git' });
      return { output: null, trace };
    }
    call = git;
  }

  const verdict = evaluateGuards({
    guards,
    call,
    root: scope.projectRoot,
    branch,
    inProgress,
    next: snapshot?.next,
    tasksUnknown: snapshot?.tasksUnknown === true,
  });
  trace.push(verdict ? { kind: 'policy', decision: verdict.decision, reason: verdict.reason } : { kind: 'policy' });

  let reminder: string | undefined;
  if (previous === current) {
    trace.push({ kind: 'reminder', said: 'repeat' });
  } else {
    if (inProgress) reminder = reminderLine(inProgress, scope.branch);
    trace.push({ kind: 'reminder', said: !inProgress ? 'none' : previous === undefined ? 'first' : 'changed' });
    if (sessionId && !deps.dryRun) {
      writeInjection(cache, sessionId, REMINDER_KEY, current);
      // The task the session is reminded of is the one it works on: it holds it while it lives.
      if (inProgress)
        claimTask(
          cache,
          { project: scope.project, taskId: inProgress.id, sessionId, at: Date.now() },
          livenessOf(settings, Date.now()),
        );
    }
  }

  if (!reminder && !verdict) return { output: null, trace };
  log.debug({ tool: input.tool_name, decision: verdict?.decision, reminded: Boolean(reminder) }, 'PreToolUse answered');
  return { output: answer(verdict, reminder), trace };
}

/**
 * The guards alone, for a call whose run failed (a cache locked by a long write, a broken cache, the watchdog): the
 * protected paths and branches need neither the cache nor the network, and a failing cache must not switch off the
 * user's policies. With no tasks known, requireActiveTask stays silent, as for a source that answers in prose.
 */
async function guardsAlone(input: HookInput, settings: Settings): Promise<HookOutput | null> {
  const candidate = candidateCall(input);
  const guards = settings.hooks.guards;
  if (!candidate || !input.cwd || (candidate.kind === 'bash' && guards.protectedBranches.length === 0)) return null;
  const call = candidate.kind === 'edit' ? candidate : await readGitCall(candidate.command);
  if (!call) return null;
  const { scope } = locateScope(settings.project, input.cwd);
  const verdict = evaluateGuards({
    guards,
    call,
    root: scope.projectRoot,
    branch: scope.branch || null,
    inProgress: undefined,
    next: undefined,
    tasksUnknown: true,
  });
  return verdict ? answer(verdict, undefined) : null;
}

/** The command hook: calls it has nothing to say about never open the config or the cache. */
export const preToolUseHook: CommandHook = {
  name: 'pre-tool-use',
  run: preToolUse,
  wants: (input) => candidateCall(input) !== undefined,
  rescue: guardsAlone,
  // A PreToolUse hook that times out fails open anyway; answering nothing sooner keeps the tool call quick. A live
  // fetch (only after a change) is bounded by hooks.preToolUseDeadlineMs well inside this.
  watchdogMs: (settings) => (settings?.hooks.preToolUseDeadlineMs ?? 1000) + 2000,
  // Only a snapshot marked stale is fetched live; every other call reads the cache alone.
  allowNetwork: true,
};
