// `taskhooks tasks …`: read and change tasks through the configured TaskSource, so the same commands work on
// the embedded store (or any tasks.db with --db) and on a remote agenthub, tracker or Task Master.
import { stripControls } from '../../context/sanitize.js';
import { OPEN_STATUSES, TASK_PRIORITIES, TASK_STATUSES, type Task } from '../../tasks/task.js';
import { defineCommand, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { printJson, printNote } from '../output.js';
import {
  addedLine,
  editedLine,
  printNextTask,
  printTask,
  printTasks,
  printWorkRecords,
  warnUnkept,
} from '../task-output.js';
import { embeddedServer } from '../../sources/embedded/in-process.js';
import { refuseOtherProject } from '../../sources/refusals.js';
import { operation } from '../../sources/source.js';
import {
  definitionHere,
  FIELD_FLAG_NAMES,
  FIELD_FLAGS,
  fieldValues,
  readLocally,
  TASK_FLAGS,
  taskTarget,
  withOwnTask,
  withSource,
} from './tasks-source.js';
import { checkPriority, checkStatuses, confirmed, newTaskOfFlags } from './tasks-flags.js';
import { ID_ARG, statusCommand } from './tasks-status.js';

/** What `tasks edit` changes, each by its flag: its help and its refusal name them all. */
const EDIT_FLAG_NAMES = ['--title', '--description', '--priority', ...FIELD_FLAG_NAMES, '--to-branch'];

export const tasksCommands: Command[] = [
  defineCommand({
    name: 'tasks list',
    summary: 'List pending tasks of this project and branch (from the configured task source)',
    description:
      'Pending means todo, in progress, blocked, review and testing; in progress first, then by priority.\n' +
      '--all adds done and cancelled tasks; --status keeps the statuses named; --assignee those assigned to someone.',
    flags: {
      status: {
        type: 'string',
        placeholder: 'STATUS',
        multiple: true,
        description: `keep only these statuses (${TASK_STATUSES.join(', ')}; comma-separated or repeated)`,
      },
      all: { type: 'boolean', description: 'include done and cancelled tasks' },
      assignee: { type: 'string', placeholder: 'NAME', description: 'keep only tasks assigned to NAME' },
      ...TASK_FLAGS,
    },
    examples: [
      { command: 'taskhooks tasks list' },
      { command: 'taskhooks tasks list --all --status done,cancelled' },
      { command: 'taskhooks tasks list --project shop --branch main --assignee dana --json' },
    ],
    async run(ctx, { values }) {
      const statuses = checkStatuses(values.status);
      const target = await taskTarget(ctx, values);
      const { scope } = target;
      const everything = values.all === true || statuses?.some((s) => !OPEN_STATUSES.includes(s)) === true;
      const local = await readLocally(ctx, target, (l, file) => l.readLocalTasks(file, scope, { all: everything }));
      const listed = local
        ? { ...local, server: embeddedServer({ home: target.settings.home, dbFile: target.dbFile }) }
        : await withSource(ctx, target, async (s) => {
            const r = everything
              ? { tasks: await operation(s, 'listAll', 'list finished tasks')(scope) }
              : await s.pending(scope);
            return { ...r, server: s.server() };
          });
      const keep = (t: Task): boolean =>
        (!statuses || statuses.includes(t.status)) && (!values.assignee || t.assignees.includes(values.assignee));
      const result = { ...listed, tasks: listed.tasks.filter(keep) };
      if (values.json) {
        printJson(ctx.out, {
          project: scope.project,
          branch: scope.branch,
          source: result.server,
          tasks: result.tasks,
          ...(result.note ? { note: result.note } : {}),
        });
        return 0;
      }
      if (result.note) printNote(ctx.out, stripControls(result.note));
      printTasks(ctx.out, result.tasks, everything || statuses || values.assignee ? 'No task matches.' : undefined);
      return 0;
    },
  }),
  defineCommand({
    name: 'tasks next',
    summary: 'Show the next task to work on',
    description:
      "The source's own recommendation where it has one; otherwise the most urgent pending task that is not blocked.",
    flags: TASK_FLAGS,
    examples: [{ command: 'taskhooks tasks next' }],
    async run(ctx, { values }) {
      const target = await taskTarget(ctx, values);
      const local = await readLocally(ctx, target, (l, file) => l.readLocalNext(file, target.scope));
      const next = local ? local.next : await withSource(ctx, target, (s) => s.next(target.scope));
      if (values.json) printJson(ctx.out, next);
      else if (next) printNextTask(ctx.out, next);
      else ctx.out.stdout.write('No actionable task.\n');
      return 0;
    },
  }),
  defineCommand({
    name: 'tasks show',
    summary: 'Show one task, with its notes, completion summary and work records',
    args: [ID_ARG],
    flags: TASK_FLAGS,
    examples: [{ command: 'taskhooks tasks show TASK-001' }],
    async run(ctx, { values, positionals: [id] }) {
      const target = await taskTarget(ctx, values);
      const local = await readLocally(ctx, target, (l, file) =>
        l.readLocalTask(file, id as string, target.scope.project),
      );
      if (local && 'missing' in local) throw local.missing;
      if (local) refuseOtherProject(id as string, local.project, target.scope.project, 'tasks show');
      // Work records are the built-in store's, or a team's server's (read through the same connection); a tracker keeps none.
      const [task, kept] = local?.task
        ? [local.task, undefined]
        : await withOwnTask(ctx, target, { id: id as string, command: 'tasks show' }, async (s) => {
            const found = await s.get(id as string);
            // A server older than work records answers the task all the same, with why they are missing.
            const records = await s.workRecords?.(found.id).catch((err: unknown) => {
              printNote(
                ctx.out,
                `work records not read: ${stripControls(err instanceof Error ? err.message : String(err))}`,
              );
              return undefined;
            });
            return [found, records] as const;
          });
      const work =
        kept ??
        (local && (await readLocally(ctx, target, (l, file) => l.readLocalWork(file, task.id, target.scope.project))));
      if (values.json) printJson(ctx.out, work ? { ...task, workRecords: work } : task);
      else {
        printTask(ctx.out, task);
        if (work) printWorkRecords(ctx.out, work);
      }
      return 0;
    },
  }),
  defineCommand({
    name: 'tasks forget',
    summary: "Drop a task's work records",
    description:
      'The task, its notes and its status stay; the next session on it is told of no earlier session until one ends again.',
    args: [ID_ARG],
    flags: TASK_FLAGS,
    examples: [{ command: 'taskhooks tasks forget TASK-001' }],
    async run(ctx, { values, positionals: [id] }) {
      const target = await taskTarget(ctx, values);
      const { forgetLocalWork } = await import('../../sources/embedded/local-work.js');
      const forgotten = forgetLocalWork({
        source: definitionHere(target).name,
        dbFile: target.dbFile,
        home: target.settings.home,
        id: id as string,
        project: target.scope.project,
        log: ctx.log(),
      });
      if (values.json) printJson(ctx.out, { id, forgotten });
      else
        ctx.out.stdout.write(
          `Forgot ${forgotten} session record${forgotten === 1 ? '' : 's'} of ${stripControls(id as string)}.\n`,
        );
      return 0;
    },
  }),
  defineCommand({
    name: 'tasks add',
    summary: 'Add a task to this project: every branch lists it, or only this branch with --on-branch',
    description:
      'On the built-in store a task is for every branch unless --on-branch (or --branch NAME) ties it to one, as the\n' +
      "model's add_task does; a tracker keeps tasks its own way. The project is made when the store does not hold it.",
    args: [{ name: 'TITLE', description: 'the title; several words are joined with spaces', variadic: true }],
    flags: {
      description: { type: 'string', placeholder: 'TEXT', description: 'the longer description' },
      priority: { type: 'string', placeholder: 'LEVEL', description: `${TASK_PRIORITIES.join(', ')} (default medium)` },
      label: { type: 'string', placeholder: 'LABEL', multiple: true, description: 'a label' },
      'on-branch': { type: 'boolean', description: 'only the current branch (or --branch NAME) lists the task' },
      ...FIELD_FLAGS,
      ...TASK_FLAGS,
    },
    examples: [
      { command: 'taskhooks tasks add "Fix the login redirect" --priority high --label auth' },
      { command: 'taskhooks tasks add "Drop the feature flag" --on-branch' },
    ],
    async run(ctx, { values, positionals }) {
      const input = newTaskOfFlags(positionals, values);
      const target = await taskTarget(ctx, values);
      const task = await withSource(ctx, target, (s) => s.create(target.scope, input), { write: 'add' });
      (await import('./tasks-added.js')).knownToItsAuthor(ctx, target, task);
      warnUnkept(ctx.out, input, task, definitionHere(target).name);
      if (values.json) printJson(ctx.out, task);
      else ctx.out.stdout.write(addedLine(task));
      return 0;
    },
  }),
  statusCommand({
    word: 'start',
    write: 'start',
    status: 'in_progress',
    summary: 'Mark a task in progress',
    verb: 'Started',
    note: "a note added to the task's notes",
    kept: 'Note added',
    example: 'taskhooks tasks start TASK-001',
  }),
  statusCommand({
    word: 'done',
    write: 'done',
    status: 'done',
    summary: 'Mark a task done, optionally with a completion summary',
    verb: 'Done',
    note: 'the completion summary, kept with the task (`tasks show` shows it)',
    alias: 'summary',
    kept: 'Summary of what was done, kept with the task',
    example: 'taskhooks tasks done TASK-001 --summary "Fixed in a1b2c3: the redirect keeps the query string"',
  }),
  statusCommand({
    word: 'block',
    write: 'block',
    status: 'blocked',
    summary: 'Mark a task blocked, optionally saying why',
    verb: 'Blocked',
    note: "why it is blocked, added to the task's notes (`tasks show` shows it)",
    kept: "Why it is blocked, added to the task's notes",
    example: 'taskhooks tasks block TASK-001 --note "waiting for the API key from ops"',
  }),
  statusCommand({
    word: 'reopen',
    write: 'reopen',
    status: 'todo',
    summary: 'Open a done, cancelled or blocked task again (back to todo)',
    verb: 'Reopened',
    note: "why it is open again, added to the task's notes",
    kept: "Why it is open again, added to the task's notes",
    example: 'taskhooks tasks reopen TASK-001 --note "the fix did not cover Safari"',
  }),
  defineCommand({
    name: 'tasks edit',
    summary: "Change a task's title, description, priority, due date or branch",
    description: `Give at least one of ${EDIT_FLAG_NAMES.join(', ')}; the others stay as they are. --to-branch moves the task to that branch of its project.`,
    args: [ID_ARG],
    flags: {
      title: { type: 'string', placeholder: 'TEXT', description: 'the new title' },
      description: { type: 'string', placeholder: 'TEXT', description: 'the new description' },
      priority: { type: 'string', placeholder: 'LEVEL', description: TASK_PRIORITIES.join(', ') },
      'to-branch': {
        type: 'string',
        placeholder: 'NAME',
        description: 'move the task to this branch (made when missing)',
      },
      ...FIELD_FLAGS,
      ...TASK_FLAGS,
    },
    examples: [
      { command: 'taskhooks tasks edit TASK-001 --title "Fix the login redirect on Safari" --priority urgent' },
    ],
    async run(ctx, { values, positionals: [id] }) {
      const title = values.title?.trim();
      if (title === '') throw new UsageError('--title is empty: give the new title, or leave the flag out');
      const fields = fieldValues(values);
      const edit = {
        title,
        description: values.description,
        priority: checkPriority(values.priority),
        branch: values['to-branch'],
        ...fields,
      };
      if (Object.values(edit).every((v) => v === undefined))
        throw new UsageError(`nothing to change: give ${EDIT_FLAG_NAMES.join(', ')}`);
      const target = await taskTarget(ctx, values);
      const task = await withOwnTask(
        ctx,
        target,
        { id: id as string, command: 'tasks edit' },
        (s) => operation(s, 'edit', 'edit a task')(id as string, edit, target.scope),
        { write: 'edit' },
      );
      warnUnkept(ctx.out, fields, task, definitionHere(target).name);
      if (values.json) printJson(ctx.out, task);
      else ctx.out.stdout.write(editedLine(task, fields));
      return 0;
    },
  }),
  defineCommand({
    name: 'tasks note',
    summary: 'Add a note to a task',
    args: [ID_ARG, { name: 'TEXT', description: 'the note; several words are joined with spaces', variadic: true }],
    flags: TASK_FLAGS,
    examples: [{ command: 'taskhooks tasks note TASK-001 "the redirect keeps the query string now"' }],
    async run(ctx, { values, positionals: [id, ...words] }) {
      const text = words.join(' ').trim();
      if (!text) throw new UsageError('the note is empty');
      const target = await taskTarget(ctx, values);
      const task = await withOwnTask(
        ctx,
        target,
        { id: id as string, command: 'tasks note' },
        (s) => operation(s, 'addNote', 'keep notes')(id as string, text),
        { write: 'note' },
      );
      if (values.json) printJson(ctx.out, task);
      else
        ctx.out.stdout.write(
          `Note added to ${stripControls(task.id)}: \`taskhooks tasks show ${stripControls(task.id)}\` shows it.\n`,
        );
      return 0;
    },
  }),
  defineCommand({
    name: 'tasks delete',
    summary: 'Delete a task (asks first unless --yes)',
    description:
      'On the built-in store the task is kept first (the newest 100 deletions), so `taskhooks tasks undelete ID` brings that\n' +
      'task back alone, with its notes; a remote server keeps whatever its own backups keep.',
    args: [ID_ARG],
    flags: { yes: { type: 'boolean', description: 'delete without asking' }, ...TASK_FLAGS },
    examples: [{ command: 'taskhooks tasks delete TASK-003 --yes' }],
    async run(ctx, { values, positionals: [id] }) {
      const target = await taskTarget(ctx, values);
      const builtIn = target.settings.source.plan.kind === 'embedded' && !target.dbFile;
      const deleted = await withOwnTask(
        ctx,
        target,
        { id: id as string, command: 'tasks delete' },
        async (s) => {
          const remove = operation(s, 'remove', 'delete a task');
          const task = await s.get(id as string);
          if (!values.yes && !(await confirmed(`Delete ${stripControls(task.id)} "${stripControls(task.title)}"?`)))
            return undefined;
          let kept: string | undefined;
          if (builtIn) {
            const { keepDeletedTask } = await import('../../sources/embedded/deleted-tasks.js');
            const { project } = target.scope;
            kept = await keepDeletedTask({ home: ctx.settings.home, log: ctx.log(), project, id: task.id });
          }
          await remove(task.id);
          return { task, kept };
        },
        { write: 'remove' },
      );
      if (!deleted) {
        ctx.out.stdout.write('Nothing deleted.\n');
        return 1;
      }
      const { task, kept } = deleted;
      const undo = kept ? `taskhooks tasks undelete ${task.id}` : null;
      if (values.json) printJson(ctx.out, { deleted: task.id, kept: kept ?? null, undo });
      else {
        ctx.out.stdout.write(`Deleted ${stripControls(task.id)}: ${stripControls(task.title)}\n`);
        if (undo) ctx.out.stdout.write(`To bring it back (that task alone, with its notes): ${stripControls(undo)}\n`);
      }
      return 0;
    },
  }),
];
