// SessionStart (startup, resume, clear, compact): pending tasks and git state for the project the session is in.
import { listUnshownAlerts, takeUnshownAlerts, type Alert } from '../cache/alerts.js';
import path from 'node:path';
import { claimsElsewhere, registerSession } from '../cache/live-sessions.js';
import { registerProject } from '../cache/projects.js';
import { livenessOf } from './live-session.js';
import { findRepo } from '../git/repo.js';
import type { GitState } from '../git/state.js';
import { renderContext } from '../context/render.js';
import { currentGitState } from './git-context.js';
import { readLiveOwner } from '../home/lock.js';
import { takeNotices } from '../home/notices.js';
import { wakeMonitor } from '../home/signals.js';
import { locateScope } from '../tasks/scope.js';
import { sessionTasks } from './session-tasks.js';
import type { HookInput } from './input-fields.js';
import type { Trace } from './trace.js';
import type { HookDeps, HookResult } from './types.js';
import type { CommandHook } from './types.js';

export async function sessionStart(input: HookInput, deps: HookDeps): Promise<HookResult> {
  const { cwd } = input;
  if (!cwd) {
    deps.log.warn('SessionStart input has no cwd: nothing injected');
    return { output: null, trace: [{ kind: 'no-cwd' }] };
  }
  const { settings, cache, log } = deps;
  const { home } = settings;
  const now = (deps.now ?? Date.now)();
  const { scope, gitRoot: root } = locateScope(settings.project, cwd);
  const sourceKey = settings.source.key;
  const trace: Trace = [
    { kind: 'scope', project: scope.project, branch: scope.branch, root: scope.projectRoot, source: sourceKey },
  ];

  // Registered before the tasks are read: a running monitor fetches only for projects it knows.
  if (
    !deps.dryRun &&
    registerProject(
      cache,
      { root: scope.projectRoot, name: scope.project, sourceKey, registeredBy: 'session-start' },
      now,
    )
  ) {
    wakeMonitor(home, log, 'new project');
  }

  const sessionId = input.session_id;
  const liveness = livenessOf(settings, now);
  if (sessionId && !deps.dryRun) {
    const pid = deps.callerPid?.();
    registerSession(cache, {
      sessionId,
      project: scope.project,
      branch: scope.branch,
      cwd,
      at: now,
      ...(pid ? { pid } : {}),
    });
  }
  const heldElsewhere = claimsElsewhere(cache, scope.project, sessionId ?? '', liveness).map((c) => ({
    taskId: c.taskId,
    worktree: path.relative(cwd, c.session.cwd) || '.',
    branch: c.session.branch,
    forMs: Math.max(0, now - c.claimedAt),
  }));
  if (heldElsewhere.length > 0) trace.push({ kind: 'claims-elsewhere', taskIds: heldElsewhere.map((h) => h.taskId) });

  // Git runs while the tasks are fetched: the slower of the two bounds the hook, not their sum.
  const gitPromise: Promise<GitState | null | undefined> = root
    ? currentGitState({ cache, repo: root, ttlMs: settings.cache.gitTtlSeconds * 1000, now, log }).then((g) => {
        trace.push(
          g.cached
            ? { kind: 'git', read: 'cached', ttlSeconds: settings.cache.gitTtlSeconds }
            : { kind: 'git', read: 'afresh' },
        );
        return g.state;
      })
    : Promise.resolve(undefined);
  const [tasks, git] = await Promise.all([
    sessionTasks({
      settings,
      cache,
      log,
      scope,
      now,
      startedAt: deps.startedAt ?? Date.now(),
      allowNetwork: deps.allowNetwork,
    }),
    gitPromise,
  ]);
  trace.push(tasks.fact);
  if (!root) {
    const refused = findRepo(cwd)?.refused;
    if (refused !== undefined) log.warn({ cwd, error: refused }, 'git state not read');
    trace.push(
      refused === undefined ? { kind: 'git', read: 'no-repo' } : { kind: 'git', read: 'refused', reason: refused },
    );
  }

  const alerts: Alert[] = deps.dryRun
    ? listUnshownAlerts(cache, sourceKey, scope.project)
    : takeUnshownAlerts(cache, sourceKey, scope.project, now);
  const preview = deps.dryRun === true;
  if (alerts.length > 0) trace.push({ kind: 'told-once', what: 'alerts', count: alerts.length, preview });
  const notices = takeNotices(home, 'session', deps.dryRun);
  if (notices.length > 0) trace.push({ kind: 'told-once', what: 'notices', count: notices.length, preview });
  // Usually a monitor is alive: then the starter (and node:child_process, ~5 ms to load) is never loaded at all.
  if (deps.ensureMonitor && !deps.dryRun && !readLiveOwner(home)) {
    try {
      const { ensureMonitorRunning } = await import('../home/launch.js');
      const m = ensureMonitorRunning(home, log);
      log.debug({ ...m }, 'monitor checked');
    } catch (err) {
      log.warn({ err }, 'could not make sure the monitor runs; tasks refresh only at session start meanwhile');
    }
  }

  const { hooks } = settings;
  const rendered = renderContext({
    scope,
    snapshot: tasks.snapshot,
    freshness: tasks.freshness,
    git,
    alerts,
    maxPending: hooks.maxPendingTasks,
    budget: hooks.contextBudget,
    now,
    configNote: settings.trustNote,
    notices,
    me: settings.source.user,
    heldElsewhere,
    sessionId,
  });
  trace.push({ kind: 'rendered', chars: rendered.text.length, budget: hooks.contextBudget, omitted: rendered.omitted });
  return { output: { hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: rendered.text } }, trace };
}

/** The command hook: the deadline bounds the live fetch and git runs alongside it, so this leaves ample margin. */
export const sessionStartHook: CommandHook = {
  name: 'session-start',
  run: sessionStart,
  wants: () => true,
  watchdogMs: (settings) => (settings?.hooks.sessionStartDeadlineMs ?? 1500) + 2500,
  allowNetwork: true,
};
