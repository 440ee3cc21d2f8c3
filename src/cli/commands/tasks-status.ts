// `taskhooks tasks start|done|block|reopen`: one command per status, each a status change through the task source
// that, inside a Claude Code session, also makes the task that session's (or lets it go).
import path from 'node:path';
import { stripControls } from '../../context/sanitize.js';
import type { SourceWrite } from '../../sources/contract.js';
import type { TaskSource } from '../../sources/source.js';
import type { Task, TaskStatus } from '../../tasks/task.js';
import { defineCommand } from '../args.js';
import { claimTask, releaseClaim, sessionAt, type LiveSession } from '../../cache/live-sessions.js';
import { livenessOf } from '../../hooks/live-session.js';
import { recordServerClaim } from '../../cache/server-claims.js';
import { withCache } from '../../cache/cache.js';
import type { ArgSpec, CliContext, Command } from '../command.js';
import { paint, printJson } from '../output.js';
import { definitionHere, TASK_FLAGS, taskTarget, withSource, type TaskTarget } from './tasks-source.js';

export const ID_ARG: ArgSpec = { name: 'ID', description: 'the task id, as `taskhooks tasks list` shows it' };

interface StatusCommand {
  /** The subcommand: `tasks <word>`. */
  word: string;
  /** The write a source's definition must declare for it. */
  write: SourceWrite;
  status: TaskStatus;
  summary: string;
  /** What the output says was done: "Started TASK-001: …". */
  verb: string;
  /** What --note means for this status. */
  note: string;
  example: string;
}

interface StatusChange {
  task: Task;
  /** Why the server kept no claim, when it refused one. */
  refused: string | undefined;
  serverClaimed: boolean;
}

/** Sets the status and, with a claimant, takes the server's claim for it (a refusal is said, not thrown). */
async function changeStatus(
  s: TaskSource,
  id: string,
  status: TaskStatus,
  o: { note: string | undefined; claimant: string | undefined; leaseSeconds: number },
): Promise<StatusChange> {
  const changed = await s.setStatus(id, status, { note: o.note });
  if (o.claimant === undefined || !s.claim) return { task: changed, refused: undefined, serverClaimed: false };
  return s.claim(changed.id, { claimant: o.claimant, leaseSeconds: o.leaseSeconds }).then(
    () => ({ task: changed, refused: undefined, serverClaimed: true }),
    (err: unknown) => ({
      task: changed,
      refused: err instanceof Error ? err.message : String(err),
      serverClaimed: false,
    }),
  );
}

export function statusCommand(c: StatusCommand): Command {
  return defineCommand({
    name: `tasks ${c.word}`,
    summary: c.summary,
    description:
      'The cache is brought up to date before the command returns, so the next hook already sees the change.',
    args: [ID_ARG],
    flags: { note: { type: 'string', placeholder: 'TEXT', description: c.note }, ...TASK_FLAGS },
    examples: [{ command: c.example }],
    async run(ctx, { values, positionals: [id] }) {
      const target = await taskTarget(ctx, values);
      const session = sessionHere(ctx, target);
      const { claims } = definitionHere(target).capabilities;
      // A session's start is also the server's claim where its definition says it keeps them, so other machines see
      // who works on it; an assignee's source was told by the start itself.
      const claimant = c.status === 'in_progress' && session && claims === 'server' ? session.sessionId : undefined;
      const leaseSeconds = target.settings.hooks.claimLeaseSeconds;
      const { task, refused, serverClaimed } = await withSource(
        ctx,
        target,
        (s) => changeStatus(s, id as string, c.status, { note: values.note, claimant, leaseSeconds }),
        { write: c.write },
      );
      if (values.json) {
        printJson(ctx.out, task);
        return 0;
      }
      ctx.out.stdout.write(
        `${c.verb} ${stripControls(task.id)}: ${stripControls(task.title)} (${stripControls(task.status)})\n`,
      );
      if (refused)
        ctx.out.stderr.write(
          `${paint(ctx.out, 'yellow', 'note:')} the server kept no claim: ${stripControls(refused)}\n`,
        );
      const holder =
        session && holdForSession(ctx, { target, session, taskId: task.id, status: c.status, serverClaimed });
      if (holder) ctx.out.stdout.write(`${holder}\n`);
      if (holder && claims === 'none')
        ctx.out.stdout.write(
          `The ${definitionHere(target).name} task source keeps no claims: only this machine's sessions know.\n`,
        );
      // A source with nowhere to keep a note (Task Master) drops it: better said now than found missing later.
      const kept =
        values.note === undefined || [task.details, task.summary].some((t) => t?.includes(values.note as string));
      if (!kept)
        ctx.out.stderr.write(`${paint(ctx.out, 'yellow', 'note:')} the task source did not keep the --note text\n`);
      else if (values.note !== undefined)
        ctx.out.stdout.write(`Note kept with the task: \`taskhooks tasks show ${stripControls(task.id)}\` shows it.\n`);
      return 0;
    },
  });
}

/**
 * Run inside a Claude Code session (its worktree), a start makes the task that session's, as Claude's own start would;
 * any other status lets it go. A claim the server took is recorded, so the monitor renews it while the session lives
 * and releases it when it ends. Says what happened, or undefined outside a session.
 */
function holdForSession(
  ctx: CliContext,
  h: { target: TaskTarget; session: LiveSession; taskId: string; status: TaskStatus; serverClaimed: boolean },
): string | undefined {
  const { settings, scope } = h.target;
  return withCache({ home: settings.home, log: ctx.log() }, (cache) => {
    const claim = { project: scope.project, taskId: h.taskId, sessionId: h.session.sessionId };
    if (h.status !== 'in_progress') {
      releaseClaim(cache, claim);
      return undefined;
    }
    const at = Date.now();
    const held = claimTask(cache, { ...claim, at }, livenessOf(settings, at));
    if (held && held.session.sessionId !== h.session.sessionId)
      return `Note: ${stripControls(h.taskId)} is in progress in another session too (worktree ${held.session.cwd}, branch ${held.session.branch || '(none)'}).`;
    if (h.serverClaimed && !h.target.dbFile)
      recordServerClaim(cache, {
        ...claim,
        sourceKey: settings.source.key,
        root: h.session.cwd,
        leaseSeconds: settings.hooks.claimLeaseSeconds,
        renewedAt: at,
      });
    return `Held by the session in ${h.session.cwd} while it runs.`;
  });
}

/** The live Claude Code session this command runs in (its worktree holds the working directory), if any. */
function sessionHere(ctx: CliContext, target: TaskTarget): LiveSession | undefined {
  return withCache({ home: target.settings.home, log: ctx.log() }, (cache) =>
    sessionAt(cache, path.resolve(ctx.cwd), livenessOf(target.settings, Date.now())),
  );
}
