// PreToolUse's run: reads the cache, and the network only when a change was made that the cached snapshot does not
// show yet. Reminds the session of the task in progress when it edits, commits or pushes (once, and again only when
// that task changes) and applies the guards it is given. Apart from the hook (./pre-tool-use.ts) so that PostToolBatch,
// whose answer comes after the call when no decision counts, reminds without compiling the guards in.
import { snapshotKey, readSnapshotBrief } from '../../cache/snapshots.js';
import { claimTask } from '../../cache/live-sessions.js';
import { readInjection, writeInjection } from '../../told/table.js';
import { fetchLive } from '../fetch/lazy-fetch.js';
import { livenessOf } from '../live-session.js';
import { marked } from '../../context/marker.js';
import { sanitize } from '../../context/sanitize.js';
import { locateScope } from '../../tasks/scope.js';
import type { Task } from '../../tasks/task.js';
import type { evaluateGuards, GuardVerdict } from '../guards/guards.js';
import { candidateCall, readGitCall, type WatchedCall } from '../guards/watched.js';
import type { HookInput } from '../input/fields.js';
import type { Trace } from '../trace.js';
import type { HookDeps, HookOutput, HookResult } from '../types.js';
import type { Scope } from '../../tasks/scope.js';
import { FULL_REACH, type Reach } from '../../agents/agent.js';

/** session_injections key of the task last named in a reminder ('' = none was in progress). */
const REMINDER_KEY = 'pre-tool-use:in-progress';

function reminderLine(task: Task, branch: string): string {
  const where = branch ? ` on branch ${sanitize(branch, 100)}` : '';
  return `[taskhooks] Task in progress${where}: ${sanitize(task.id, 64)} "${sanitize(task.title, 160)}" (status ${task.status}). Keep this change within it, or update the task when the work moves on.`;
}

export function answer(verdict: GuardVerdict | undefined, reminder: string | undefined): HookOutput {
  const output: HookOutput = { hookSpecificOutput: { hookEventName: 'PreToolUse' } };
  if (verdict) {
    output.hookSpecificOutput.permissionDecision = verdict.decision;
    output.hookSpecificOutput.permissionDecisionReason = verdict.reason;
  }
  if (reminder) output.hookSpecificOutput.additionalContext = reminder;
  return output;
}

type Brief = ReturnType<typeof readSnapshotBrief>;

/**
 * The cached brief, fetched live when a change made it stale. Reading a shell command costs a cold hook a few
 * milliseconds: done only before a live fetch, which costs far more and is wasted on a command that only mentions a
 * commit or push (grep -rn push). `stop` when that read found no git call: nothing to say.
 */
async function currentBrief(
  candidate: NonNullable<ReturnType<typeof candidateCall>>,
  deps: HookDeps,
  at: { scope: Scope; trace: Trace },
): Promise<{ snapshot: Brief; git?: WatchedCall; stop?: true }> {
  const { settings, cache } = deps;
  const key = snapshotKey(settings.source.key, at.scope);
  const snapshot = readSnapshotBrief(cache, key);
  at.trace.push(
    snapshot ? { kind: 'snapshot', fetchedAt: snapshot.fetchedAt, stale: snapshot.stale } : { kind: 'snapshot' },
  );
  if (!snapshot?.stale) return { snapshot };
  if (!deps.allowNetwork) {
    at.trace.push({ kind: 'offline' });
    return { snapshot };
  }
  let git: WatchedCall | undefined;
  if (candidate.kind === 'bash') {
    git = await readGitCall(candidate.command);
    if (!git) {
      at.trace.push({ kind: 'bash-no-git' });
      return { snapshot, stop: true };
    }
  }
  const live = await fetchLive('PreToolUse', deps, at.scope, snapshot.fetchedAt);
  at.trace.push({ kind: 'fetched', outcome: live.outcome });
  return { snapshot: live.ok ? readSnapshotBrief(cache, key) : snapshot, ...(git ? { git } : {}) };
}

/** The reminder when the task in progress changed since the session was last reminded; the session then holds it. */
function remind(
  input: HookInput,
  deps: HookDeps,
  r: { scope: Scope; inProgress: Task | undefined; previous: string | undefined; trace: Trace },
): string | undefined {
  const { inProgress, previous, scope } = r;
  const current = inProgress?.id ?? '';
  if (previous === current) {
    r.trace.push({ kind: 'reminder', said: 'repeat' });
    return undefined;
  }
  r.trace.push({ kind: 'reminder', said: !inProgress ? 'none' : previous === undefined ? 'first' : 'changed' });
  const sessionId = input.session_id;
  if (sessionId && !deps.dryRun) {
    writeInjection(deps.cache, sessionId, REMINDER_KEY, current);
    // The task the session is reminded of is the one it works on: it holds it while it lives.
    if (inProgress)
      claimTask(
        deps.cache,
        { project: scope.project, taskId: inProgress.id, sessionId, at: Date.now() },
        livenessOf(deps.settings, Date.now()),
      );
  }
  return inProgress ? reminderLine(inProgress, scope.branch) : undefined;
}

/** The guards that decide a call; undefined where no decision can count (after the call). */
export type Judge = typeof evaluateGuards | undefined;

/**
 * The call the guards and the reminder look at: an edit as it is; a Bash command read for git only when an answer
 * depends on it (a branch guard that may decide, or a reminder not yet given), else undefined with the reason traced.
 */
async function callToJudge(
  candidate: NonNullable<ReturnType<typeof candidateCall>>,
  o: { git: WatchedCall | undefined; branchGuard: boolean; reach: Reach; reminded: boolean; trace: Trace },
): Promise<WatchedCall | undefined> {
  if (candidate.kind === 'edit') return candidate;
  if ((!o.branchGuard || !o.reach.decision) && (o.reminded || !o.reach.context)) {
    o.trace.push({ kind: 'bash-unread', read: o.git !== undefined });
    return undefined;
  }
  const git = o.git ?? (await readGitCall(candidate.command));
  if (!git) o.trace.push({ kind: 'bash-no-git' });
  return git;
}

export async function preToolUse(input: HookInput, deps: HookDeps, judge: Judge): Promise<HookResult> {
  const candidate = candidateCall(input);
  if (!candidate) return { output: null, trace: [{ kind: 'tool-ignored', tool: input.tool_name, why: 'not-watched' }] };
  if (!input.cwd) {
    deps.log.warn({ tool: input.tool_name }, 'PreToolUse input has no cwd: nothing said');
    return { output: null, trace: [{ kind: 'no-cwd' }] };
  }
  const { settings, cache, log } = deps;
  const { scope } = locateScope(settings.project, input.cwd);
  const trace: Trace = [{ kind: 'scope', project: scope.project, branch: scope.branch }];
  const brief = await currentBrief(candidate, deps, { scope, trace });
  if (brief.stop) return { output: null, trace };
  const { snapshot } = brief;
  const git = brief.git;
  const inProgress = snapshot?.inProgress;
  trace.push({
    kind: 'in-progress',
    ...(inProgress ? { id: inProgress.id } : {}),
    unknown: snapshot?.tasksUnknown === true,
  });

  const previous = input.session_id ? readInjection(cache, input.session_id, REMINDER_KEY) : undefined;
  const guards = settings.hooks.guards;
  // What this agent lets the answer do here: a reminder its model never reads is kept for where it does.
  const reach = deps.agent?.reach ?? FULL_REACH;
  const reminded = previous === (inProgress?.id ?? '');
  const call = await callToJudge(candidate, {
    git,
    branchGuard: guards.protectedBranches.length > 0,
    reach,
    reminded,
    trace,
  });
  if (!call) return { output: null, trace };

  const verdict =
    reach.decision && judge
      ? judge({
          guards,
          call,
          root: scope.projectRoot,
          cwd: input.cwd,
          agentPid: deps.callerPid,
          branch: scope.branch || null,
          inProgress,
          next: snapshot?.next,
          tasksUnknown: snapshot?.tasksUnknown === true,
        })
      : undefined;
  trace.push(verdict ? { kind: 'policy', decision: verdict.decision, reason: verdict.reason } : { kind: 'policy' });
  const reminder = reach.context ? remind(input, deps, { scope, inProgress, previous, trace }) : undefined;
  if (!reminder && !verdict) return { output: null, trace };
  log.debug({ tool: input.tool_name, decision: verdict?.decision, reminded: Boolean(reminder) }, 'PreToolUse answered');
  return { output: answer(verdict, reminder && marked(reminder, deps.marker)), trace };
}
