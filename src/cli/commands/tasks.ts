// `taskhooks tasks …`: read and change tasks through the configured TaskSource, so the same commands work on
// the embedded store (or any tasks.db with --db) and on a remote agenthub, tracker or Task Master.
import { stripControls } from '../../context/sanitize.js';
import { TASK_PRIORITIES, isTaskPriority, type TaskStatus } from '../../tasks/task.js';
import { defineCommand, quoted, UsageError } from '../args.js';
import type { ArgSpec, Command } from '../command.js';
import { paint, printJson } from '../output.js';
import { printTask, printTasks, TASK_FLAGS, taskTarget, withSource } from './tasks-source.js';

const ID_ARG: ArgSpec = { name: 'ID', description: 'the task id, as `taskhooks tasks list` shows it' };

function statusCommand(word: string, status: TaskStatus, summary: string, verb: string, note: string, example: string): Command {
  return defineCommand({
    name: `tasks ${word}`,
    summary,
    description: 'The cache is brought up to date before the command returns, so the next hook already sees the change.',
    args: [ID_ARG],
    flags: { note: { type: 'string', placeholder: 'TEXT', description: note }, ...TASK_FLAGS },
    examples: [{ command: example }],
    async run(ctx, { values, positionals: [id] }) {
      const target = await taskTarget(ctx, values);
      const task = await withSource(ctx, target, (s) => s.setStatus(id as string, status, { note: values.note }), { write: true });
      if (values.json) {
        printJson(ctx.out, task);
        return 0;
      }
      ctx.out.stdout.write(`${verb} ${stripControls(task.id)}: ${stripControls(task.title)} (${stripControls(task.status)})\n`);
      // A source with nowhere to keep a note (Task Master) drops it: better said now than found missing later.
      const kept = values.note === undefined || [task.details, task.summary].some((t) => t?.includes(values.note as string));
      if (!kept) ctx.out.stderr.write(`${paint(ctx.out, 'yellow', 'note:')} the task source did not keep the --note text\n`);
      else if (values.note !== undefined) ctx.out.stdout.write(`Note kept with the task: \`taskhooks tasks show ${stripControls(task.id)}\` shows it.\n`);
      return 0;
    },
  });
}

export const tasksCommands: Command[] = [
  defineCommand({
    name: 'tasks list',
    summary: 'List pending tasks of this project and branch (from the configured task source)',
    description: 'Pending means todo, in progress, blocked, review and testing; in progress first, then by priority.',
    flags: TASK_FLAGS,
    examples: [{ command: 'taskhooks tasks list' }, { command: 'taskhooks tasks list --project shop --branch main --json' }],
    async run(ctx, { values }) {
      const target = await taskTarget(ctx, values);
      const { scope } = target;
      const result = await withSource(ctx, target, (s) => s.pending(scope).then((r) => ({ ...r, server: s.server() })));
      if (values.json) {
        printJson(ctx.out, { project: scope.project, branch: scope.branch, source: result.server, tasks: result.tasks, ...(result.note ? { note: result.note } : {}) });
        return 0;
      }
      if (result.note) ctx.out.stderr.write(`${paint(ctx.out, 'yellow', 'note:')} ${stripControls(result.note)}\n`);
      printTasks(ctx.out, result.tasks);
      return 0;
    },
  }),
  defineCommand({
    name: 'tasks next',
    summary: 'Show the next task to work on',
    description: "The source's own recommendation where it has one; otherwise the most urgent pending task that is not blocked.",
    flags: TASK_FLAGS,
    examples: [{ command: 'taskhooks tasks next' }],
    async run(ctx, { values }) {
      const target = await taskTarget(ctx, values);
      const next = await withSource(ctx, target, (s) => s.next(target.scope));
      if (values.json) printJson(ctx.out, next);
      else if (next) printTask(ctx.out, next);
      else ctx.out.stdout.write('No actionable task.\n');
      return 0;
    },
  }),
  defineCommand({
    name: 'tasks show',
    summary: 'Show one task, with its notes and completion summary',
    args: [ID_ARG],
    flags: TASK_FLAGS,
    examples: [{ command: 'taskhooks tasks show TASK-001' }],
    async run(ctx, { values, positionals: [id] }) {
      const target = await taskTarget(ctx, values);
      const task = await withSource(ctx, target, (s) => s.get(id as string));
      if (values.json) printJson(ctx.out, task);
      else printTask(ctx.out, task);
      return 0;
    },
  }),
  defineCommand({
    name: 'tasks add',
    summary: 'Add a task to this project and branch',
    description: 'The project and branch are registered on the task server first when it does not know them yet.',
    args: [{ name: 'TITLE', description: 'the title; several words are joined with spaces', variadic: true }],
    flags: {
      description: { type: 'string', placeholder: 'TEXT', description: 'the longer description' },
      priority: { type: 'string', placeholder: 'LEVEL', description: `${TASK_PRIORITIES.join(', ')} (default medium)` },
      label: { type: 'string', placeholder: 'LABEL', multiple: true, description: 'a label' },
      ...TASK_FLAGS,
    },
    examples: [{ command: 'taskhooks tasks add "Fix the login redirect" --priority high --label auth' }],
    async run(ctx, { values, positionals }) {
      const title = positionals.join(' ').trim();
      if (!title) throw new UsageError('the title is empty');
      const priority = values.priority;
      if (priority !== undefined && !isTaskPriority(priority)) throw new UsageError(`--priority ${quoted(priority)} is not one of ${TASK_PRIORITIES.join(', ')}`);
      const target = await taskTarget(ctx, values);
      const input = { title, description: values.description, priority, labels: values.label };
      const task = await withSource(ctx, target, (s) => s.create(target.scope, input), { write: true });
      if (values.json) printJson(ctx.out, task);
      else ctx.out.stdout.write(`Added ${stripControls(task.id)}: ${stripControls(task.title)}\n`);
      return 0;
    },
  }),
  statusCommand('start', 'in_progress', 'Mark a task in progress', 'Started', 'a note added to the task\'s notes', 'taskhooks tasks start TASK-001'),
  statusCommand(
    'done',
    'done',
    'Mark a task done, optionally with a completion summary',
    'Done',
    'the completion summary, kept with the task (`tasks show` shows it)',
    'taskhooks tasks done TASK-001 --note "Fixed in a1b2c3: the redirect keeps the query string"',
  ),
  statusCommand(
    'block',
    'blocked',
    'Mark a task blocked, optionally saying why',
    'Blocked',
    "why it is blocked, added to the task's notes (`tasks show` shows it)",
    'taskhooks tasks block TASK-001 --note "waiting for the API key from ops"',
  ),
];
