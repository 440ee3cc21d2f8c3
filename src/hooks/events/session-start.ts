// SessionStart (startup, resume, clear, compact): pending tasks and git state for the project the session is in.
import {
  claimsElsewhere,
  listUnshownAlerts,
  registerProject,
  registerSession,
  SESSION_PROJECT_LIMIT,
  takeUnshownAlerts,
  type Alert,
} from '../../cache/index.js';
import path from 'node:path';
import { livenessOf, otherAgent } from '../live-session.js';
import { findRepo } from '../../git/repo.js';
import type { GitState } from '../../git/state.js';
import { renderContext, TASK_TOOLS_NOTE, type HeldElsewhere } from '../../context/render.js';
import { currentGitState } from './git-context.js';
import { servesThisBuild, STORE_FD_ENV, takeNotices, wakeMonitor } from '../../home/index.js';
import {
  claudeProjectSettings,
  startWarnings,
  stopForSquattedStore,
  stopForStrayHooks,
  type CheckedPlace,
} from './session-checks.js';
import { mayKeepWork } from '../../sources/work-sharing.js';
import { locateScope, type Scope } from '../../tasks/scope.js';
import { sessionTasks, type SessionTasks } from './session-tasks.js';
import { safeSessionId } from '../news/news-gate.js';
import type { HookInput } from '../input/fields.js';
import type { HookDeps, HookResult } from '../types.js';
import { defineHook } from './define.js';

type WorkTold = typeof import('./work-told.js');

interface Where extends CheckedPlace {
  scope: Scope;
  now: number;
}

/**
 * Registers the project and the session (a running monitor fetches only for projects it knows), with the commit it
 * starts on when it keeps work records; tasks held elsewhere.
 */
function register(input: HookInput & { cwd: string }, deps: HookDeps, w: Where, work?: WorkTold): HeldElsewhere[] {
  const { settings, cache, log } = deps;
  const { scope, now } = w;
  const { projectRoot: root, project: name } = scope;
  // A session's model can start one anywhere: past the limit only install registers (docs/security.md).
  const registered =
    !deps.dryRun &&
    registerProject(
      cache,
      { root, name, sourceKey: settings.source.key, registeredBy: 'session-start', limit: SESSION_PROJECT_LIMIT },
      now,
    );
  if (registered === 'full') log.warn({ root }, 'project limit: not registered');
  else if (registered) wakeMonitor(settings.home, log, 'new project');
  const sessionId = input.session_id;
  const ownAgent = deps.agent?.id ?? 'claude';
  if (sessionId && !deps.dryRun) {
    const pid = deps.callerPid?.();
    cache.write(() => {
      registerSession(cache, {
        sessionId,
        project: scope.project,
        branch: scope.branch,
        cwd: input.cwd,
        at: now,
        agent: ownAgent,
        ...(pid ? { pid } : {}),
      });
      const where = { sessionId, project: scope.project, branch: scope.branch, cwd: input.cwd, agent: ownAgent };
      work?.noteStart(cache, { ...where, startedAt: now }, w.root);
    });
  }
  const held = claimsElsewhere(cache, scope.project, sessionId ?? '', livenessOf(settings, now)).map((c) => {
    const agent = otherAgent(c.session.agent, ownAgent);
    return {
      taskId: c.taskId,
      worktree: path.relative(input.cwd, c.session.cwd) || '.',
      branch: c.session.branch,
      forMs: Math.max(0, now - c.claimedAt),
      ...(agent ? { agent } : {}),
    };
  });
  if (held.length > 0) w.trace.push({ kind: 'claims-elsewhere', taskIds: held.map((h) => h.taskId) });
  return held;
}

/** The git state shown, and its age when it came from the cache. */
interface GitRead {
  state: GitState | null | undefined;
  ageMs?: number | undefined;
}

/** The tasks and the git state, read side by side: the slower of the two bounds the hook, not their sum. */
async function tasksAndGit(deps: HookDeps, w: Where): Promise<[SessionTasks, GitRead]> {
  const { settings, cache, log } = deps;
  const { scope, root, now, trace } = w;
  const gitPromise: Promise<GitRead> = root
    ? currentGitState({ cache, repo: root, ttlMs: settings.cache.gitTtlSeconds * 1000, now, log }).then((g) => {
        trace.push(
          g.cached
            ? { kind: 'git', read: 'cached', ttlSeconds: settings.cache.gitTtlSeconds }
            : { kind: 'git', read: 'afresh' },
        );
        return { state: g.state, ageMs: g.ageMs };
      })
    : Promise.resolve({ state: undefined });
  const startedAt = deps.startedAt ?? Date.now();
  const both = await Promise.all([
    sessionTasks({ settings, cache, log, scope, now, startedAt, allowNetwork: deps.allowNetwork }),
    gitPromise,
  ]);
  trace.push(both[0].fact);
  if (!root) {
    const refused = findRepo(w.cwd)?.refused;
    if (refused !== undefined) log.warn({ cwd: w.cwd, error: refused }, 'git state not read');
    trace.push(
      refused === undefined ? { kind: 'git', read: 'no-repo' } : { kind: 'git', read: 'refused', reason: refused },
    );
  }
  return both;
}

/** Starting the monitor, and then waiting for Claude Code's task tools from it: a lazy file, loaded only then. */
const monitorStart = () => import('./session-start-tools.js');

/** Alerts and notices told once (a preview only lists them). */
async function toldOnce(deps: HookDeps, w: Where): Promise<{ alerts: Alert[]; notices: string[] }> {
  const { settings, cache } = deps;
  const { home } = settings;
  const { scope, now, trace } = w;
  const preview = deps.dryRun === true;
  const { key } = settings.source;
  // A run after a monitor too late to reach the session tells it what that monitor took.
  const retold =
    deps.monitorLate && w.session
      ? (await import('../../cache/alerts-retold.js')).retakeAlerts(cache, key, scope.project, w.session)
      : [];
  const alerts = preview
    ? listUnshownAlerts(cache, key, scope.project)
    : [...retold, ...takeUnshownAlerts(cache, key, scope.project, now, w.session)];
  if (alerts.length > 0) trace.push({ kind: 'told-once', what: 'alerts', count: alerts.length, preview });
  const notices = takeNotices(home, 'session', preview, w.session);
  if (notices.length > 0) trace.push({ kind: 'told-once', what: 'notices', count: notices.length, preview });
  return { alerts, notices };
}

/**
 * The monitor started when none of this build runs; when this call started it. Never rejects: it runs beside the
 * hook's reads, which may fail first.
 */
async function ensureMonitor(deps: HookDeps): Promise<number | undefined> {
  const { settings, log } = deps;
  try {
    // Served by the monitor: its process was handed no port here.
    if (!deps.ensureMonitor) return undefined;
    // Usually this build's monitor is alive: then the starter (a lazy file, and node:child_process) is never loaded.
    if (deps.dryRun !== true && !servesThisBuild(settings.home))
      return await (await monitorStart()).startMonitor(settings, log);
    // A store port the socket client held for this hook goes to the monitor it starts, else is closed here: rarely,
    // so by the lazy file, which the hot bundle's size leaves no room for.
    if (process.env[STORE_FD_ENV] !== undefined) (await monitorStart()).releaseHandedListener(process.env, log);
    return undefined;
  } catch (err) {
    log.warn({ err }, 'could not make sure the monitor runs; tasks refresh only at session start meanwhile');
    return undefined;
  }
}

/** The line telling a session whose monitor started after its agent (no task tools at its first try) they are missing. */
async function taskToolsLine(input: HookInput, deps: HookDeps, w: Where, monitorFrom: number | undefined) {
  if (deps.dryRun) return undefined;
  const tools = await monitorStart();
  return tools.awaitTaskTools(input, deps, w, monitorFrom, sessionStartHook.watchdogMs(deps.settings));
}

/**
 * A new session's news starts from the tasks it was told (a resumed one keeps what it was told before); a failure
 * leaves that to its first prompt. Loaded when it runs: SessionStart's own bundle stays within the hot path's size.
 */
async function keepAsBaseline(input: HookInput, deps: HookDeps, w: Where, told: SessionTasks['snapshot']) {
  const sessionId = safeSessionId(input);
  if (!sessionId || !told || deps.dryRun) return;
  try {
    const { recordStartBaseline } = await import('../news/start-baseline.js');
    recordStartBaseline(deps, { sessionId, scope: w.scope, snapshot: told, replace: input.source === 'clear' });
  } catch (err) {
    deps.log.warn({ err }, 'could not record the tasks told at session start; its first prompt records them instead');
  }
}

export async function sessionStart(input: HookInput, deps: HookDeps): Promise<HookResult> {
  const { cwd } = input;
  if (!cwd) {
    deps.log.warn('SessionStart input has no cwd: nothing injected');
    return { output: null, trace: [{ kind: 'no-cwd' }] };
  }
  const { settings } = deps;
  const { scope, gitRoot: root } = locateScope(settings.project, cwd);
  const { project, branch, projectRoot } = scope;
  const trace: HookResult['trace'] = [
    { kind: 'scope', project, branch, root: projectRoot, source: settings.source.key },
  ];
  const claude = claudeProjectSettings(deps, [cwd, root]);
  const session = deps.dryRun ? undefined : safeSessionId(input);
  const w: Where = { cwd, scope, root, now: (deps.now ?? Date.now)(), trace, claude, session };
  const stray = await stopForStrayHooks(deps, w);
  if (stray !== undefined && typeof stray !== 'string') return stray;
  const squatted = await stopForSquattedStore(deps, w, () => ensureMonitor(deps));
  if (squatted) return squatted;
  const warned = startWarnings(deps, w);
  const { hooks } = settings;
  // Work records are kept in the built-in store, on a team's server, or as a tracker's comments: a lazy file, loaded
  // only there, so another source's start pays none.
  const work = mayKeepWork(settings.source.plan, hooks.workComments) ? await import('./work-told.js') : undefined;
  // Registered before the tasks are read: a running monitor fetches only for projects it knows.
  const heldElsewhere = register({ ...input, cwd }, deps, w, work);
  // Started while this hook reads the tasks and git: after a reboot, the sessions waiting for it are answered sooner.
  const starting = ensureMonitor(deps);
  const [tasks, git] = await tasksAndGit(deps, w);
  const { alerts, notices } = await toldOnce(deps, w);
  const told = await warned;
  const toolsMissing = await taskToolsLine(input, deps, w, await starting);
  const rendered = renderContext({
    scope,
    snapshot: tasks.snapshot,
    freshness: tasks.freshness,
    git: git.state,
    gitAgeMs: git.ageMs,
    alerts,
    maxPending: hooks.maxPendingTasks,
    budget: hooks.contextBudget,
    marker: deps.marker,
    now: w.now,
    configNote: settings.trustNote,
    notices: [
      ...(typeof stray === 'string' ? [stray] : []),
      ...told,
      ...(toolsMissing ? [toolsMissing] : settings.source.plan.kind === 'embedded' ? [TASK_TOOLS_NOTE] : []),
      ...notices,
      ...(deps.cache.copy ? [deps.cache.copy.problem] : []),
    ],
    me: settings.source.user,
    heldElsewhere,
    sessionId: input.session_id,
  });
  const shown = work ? await work.tellWork(deps, w, tasks.snapshot, rendered) : rendered;
  trace.push({ kind: 'rendered', chars: shown.text.length, budget: hooks.contextBudget, omitted: shown.omitted });
  await keepAsBaseline(input, deps, w, tasks.snapshot);
  return { output: { hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: shown.text } }, trace };
}

/**
 * A command in both transports: it is what starts the monitor when it is down. It may fetch once when the cache is
 * cold: Claude Code's timeout is above the longest deadline the config allows, and the watchdog leaves ample margin
 * over the deadline, which bounds the live fetch and the git run beside it.
 */
export const sessionStartHook = defineHook({
  name: 'session-start',
  event: 'SessionStart',
  matcher: 'startup|resume|clear|compact|fork',
  timeout: 35,
  http: false,
  mcpTool: false,
  run: sessionStart,
  wants: () => true,
  deadline: 'sessionStartDeadlineMs',
  marginMs: 2500,
  allowNetwork: true,
});
