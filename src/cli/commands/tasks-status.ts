// `taskhooks tasks start|done|block|reopen`: one command per status, each a status change through the task source
// that, inside a Claude Code session, also makes the task that session's (or lets it go).
import { stripControls } from '../../context/sanitize.js';
import { viewOf, whoOf, workWhat } from '../../context/work-lines.js';
import type { SourceWrite } from '../../sources/contract.js';
import { changeStatus } from '../../sources/issues/status-change.js';
import type { TaskStatus } from '../../tasks/task.js';
import { defineCommand, UsageError } from '../args.js';
import type { ArgSpec, Command } from '../command.js';
import { printJson, printNote } from '../output.js';
import type { CliContext } from '../command.js';
import { definitionHere, readLocally, TASK_FLAGS, taskTarget, withOwnTask, type TaskTarget } from './tasks-source.js';

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
  /** What the output calls the --note text kept ("Summary of what was done, kept with the task"). */
  kept: string;
  /** Another name for --note, the word the help uses for it (`tasks done --summary`). */
  alias?: 'summary';
  example: string;
}

/** The --note text, given under either name (never both). */
function noteOf(values: { note?: string | undefined; summary?: string | undefined }): string | undefined {
  if (values.note !== undefined && values.summary !== undefined)
    throw new UsageError('--summary is another name for --note: give one of them');
  return values.note ?? values.summary;
}

/**
 * The summary a task's last work record makes ("Claude Code session of 2026-11-28 (branch main): committed …"), where
 * the built-in store keeps one for it; undefined otherwise.
 */
async function lastRecordSummary(ctx: CliContext, target: TaskTarget, id: string): Promise<string | undefined> {
  const [last] = (await readLocally(ctx, target, (l, file) => l.readLocalWork(file, id, target.scope.project))) ?? [];
  if (!last) return undefined;
  const view = viewOf(last);
  return `Session of ${last.endedAt.slice(0, 10)}${whoOf(view)}: ${workWhat(view)}`;
}

/** What became of the --note text, in the words of what it is for this status; one the source dropped is said now. */
function sayNoteKept(
  ctx: CliContext,
  c: StatusCommand,
  n: { id: string; given: string | undefined; offered: string | undefined; noteKept: boolean },
): void {
  if (n.offered !== undefined && n.noteKept)
    ctx.out.stdout.write(`Summary from the last session's record (give --summary to write your own): ${n.offered}\n`);
  if (!n.noteKept) printNote(ctx.out, 'the task source did not keep the --note text');
  else if (n.given !== undefined)
    ctx.out.stdout.write(
      `${c.kept}: ${stripControls(n.given)}\n(\`taskhooks tasks show ${stripControls(n.id)}\` shows it)\n`,
    );
}

export function statusCommand(c: StatusCommand): Command {
  return defineCommand({
    name: `tasks ${c.word}`,
    summary: c.summary,
    description: 'The cache is told before the command returns, so the next hook of every session sees the change.',
    args: [ID_ARG],
    flags: {
      note: { type: 'string', placeholder: 'TEXT', description: c.note },
      ...(c.alias
        ? { summary: { type: 'string', placeholder: 'TEXT', description: 'the same as --note' } as const }
        : {}),
      ...TASK_FLAGS,
    },
    examples: [{ command: c.example }],
    async run(ctx, { values, positionals: [id] }) {
      const given = noteOf(values);
      const target = await taskTarget(ctx, values);
      // Done with no summary: the last session's record of the task says what was done, where the store keeps one.
      const offered =
        c.status === 'done' && given === undefined ? await lastRecordSummary(ctx, target, id as string) : undefined;
      const note = given ?? offered;
      // The cache's session records load only for a change, never for `tasks list`.
      const { holdForSession, sessionHere } = await import('./tasks-hold.js');
      const here = sessionHere(ctx, target);
      const { claims } = definitionHere(target).capabilities;
      // A session's start is also the server's claim where its definition says it keeps them, so other machines see
      // who works on it; an assignee's source was told by the start itself.
      const claimant = c.status === 'in_progress' && here && claims === 'server' ? here.session.sessionId : undefined;
      const leaseSeconds = target.settings.hooks.claimLeaseSeconds;
      const { task, refused, serverClaimed, noteKept } = await withOwnTask(
        ctx,
        target,
        { id: id as string, command: `tasks ${c.word}` },
        (s) => changeStatus(s, id as string, c.status, { note, claimant, leaseSeconds }),
        { write: c.write },
      );
      if (values.json) {
        printJson(ctx.out, task);
        return 0;
      }
      ctx.out.stdout.write(
        `${c.verb} ${stripControls(task.id)}: ${stripControls(task.title)} (${stripControls(task.status)})\n`,
      );
      if (refused) printNote(ctx.out, `the server kept no claim: ${stripControls(refused)}`);
      const holder = here && holdForSession({ target, here, taskId: task.id, status: c.status, serverClaimed });
      if (holder) ctx.out.stdout.write(`${holder}\n`);
      if (holder && claims === 'none')
        ctx.out.stdout.write(
          `The ${definitionHere(target).name} task source keeps no claims: only this machine's sessions know.\n`,
        );
      sayNoteKept(ctx, c, { id: task.id, given, offered, noteKept });
      return 0;
    },
  });
}
