// `taskhooks tasks …`: read and change tasks through the configured TaskSource, so the same commands work on
// the embedded store (or any tasks.db with --db) and on a remote agenthub, tracker or Task Master.
import path from 'node:path';
import { markProjectStale } from '../../cache/snapshots.js';
import { openStore } from '../../cache/store.js';
import { requestRefresh } from '../../home/signals.js';
import { deadlineIn } from '../../util/deadline.js';
import { findGitRoot } from '../../git/repo.js';
import { isTaskSourceError } from '../../errors/task-source.js';
import type { TaskSource } from '../../sources/source.js';
import { locateScope, type Scope } from '../../tasks/scope.js';
import { TASK_PRIORITIES, isTaskPriority, type Task, type TaskStatus } from '../../tasks/task.js';
import { parseFlags } from '../args.js';
import { UserError } from '../../errors/user.js';
import { type CliContext, type Command } from '../command.js';
import { paint, printJson, progress, table, terminalText, type Out } from '../output.js';

const common = {
  json: { type: 'boolean' },
  db: { type: 'string' },
  project: { type: 'string' },
  branch: { type: 'string' },
} as const;

type CommonValues = { json?: boolean | undefined; db?: string | undefined; project?: string | undefined; branch?: string | undefined };

/** The scope a command acts on: this directory's, narrowed by --project and --branch. */
function commandScope(ctx: CliContext, values: CommonValues): Scope {
  const { scope } = locateScope(ctx.settings.project, ctx.cwd);
  return { ...scope, ...(values.branch ? { branch: values.branch } : {}), ...(values.project ? { project: values.project } : {}) };
}

/**
 * Opens the store and the task source for one command and always closes both. After a change (`write`), the cache
 * holds the new state before the command returns: the project's snapshots are marked stale, the command's own scope
 * is fetched again through the same connection, and a running monitor is woken for the rest.
 */
async function withSource<T>(ctx: CliContext, values: CommonValues, fn: (source: TaskSource) => Promise<T>, write?: { scope: Scope }): Promise<T> {
  const { source: sourceSettings, home } = ctx.settings;
  const log = ctx.log();
  const store = openStore({ home, log });
  try {
    // The network stack (SDK, zod, openid-client) loads only for task commands, never for `taskhooks --help`.
    const connecting = progress(ctx.out, 'connecting to the task source');
    const { openTaskSource, snapshotFrom } = await import('../../network/index.js');
    const source = await openTaskSource({
      source: sourceSettings,
      home,
      store,
      log,
      projectRoot: findGitRoot(ctx.cwd) ?? ctx.cwd,
      ...(values.db ? { dbFile: path.resolve(ctx.cwd, values.db) } : {}),
    }).finally(connecting);
    try {
      const result = await fn(source);
      // A --db file is not the store the hooks read: its changes mean nothing to the cache.
      if (write && !values.db) {
        markProjectStale(store, write.scope.project);
        await snapshotFrom(source, { sourceKey: sourceSettings.key, store, log, scope: write.scope, deadline: deadlineIn(sourceSettings.timeoutMs) }).catch(
          (err: unknown) => log.warn({ err }, 'the change is made, but the cache could not be refreshed: the next hook fetches live'),
        );
        requestRefresh(home);
      }
      return result;
    } finally {
      await source.close();
    }
  } catch (err) {
    // A task source failure is something to fix, not a crash: one line, no stack trace.
    if (isTaskSourceError(err)) throw new UserError(err.message);
    throw err;
  } finally {
    store.close();
  }
}

// Everything a task says is the server's (or its author's) text: it reaches the terminal only through terminalText.
const shown = (text: string): string => terminalText(text);

function row(out: Out, t: Task): string[] {
  const status = t.status === 'in_progress' ? paint(out, 'yellow', t.status) : t.status === 'blocked' ? paint(out, 'red', t.status) : shown(t.status);
  return [shown(t.id), status, shown(t.priority), shown(t.title)];
}

function printTasks(out: Out, tasks: Task[]): void {
  if (tasks.length === 0) out.stdout.write('No pending tasks.\n');
  else out.stdout.write(table(out, ['ID', 'STATUS', 'PRIORITY', 'TITLE'], tasks.map((t) => row(out, t))));
}

function printTask(out: Out, t: Task): void {
  const lines: Array<[string, string]> = [
    ['id', shown(t.id)],
    ['title', shown(t.title)],
    ['status', shown(t.status)],
    ['priority', shown(t.priority)],
  ];
  if (t.description) lines.push(['description', terminalText(t.description, { multiline: true })]);
  if (t.branch) lines.push(['branch', shown(t.branch)]);
  if (t.assignees.length) lines.push(['assignees', shown(t.assignees.join(', '))]);
  if (t.labels.length) lines.push(['labels', shown(t.labels.join(', '))]);
  if (t.dependencies.length) lines.push(['depends on', shown(t.dependencies.join(', '))]);
  if (t.createdAt) lines.push(['created', shown(t.createdAt)]);
  if (t.updatedAt) lines.push(['updated', shown(t.updatedAt)]);
  const width = Math.max(...lines.map(([k]) => k.length));
  // A description's later lines stay indented under it, so none of them can pass for another field.
  const value = (v: string): string => v.split('\n').join(`\n${' '.repeat(width + 2)}`);
  out.stdout.write(lines.map(([k, v]) => `${paint(out, 'dim', k.padEnd(width))}  ${value(v)}`).join('\n') + '\n');
}

function oneId(positionals: string[], usage: string): string {
  const [id, ...rest] = positionals;
  if (!id || rest.length > 0) throw new UserError(`expected one task id (usage: ${usage})`, 2);
  return id;
}

const OPTS = '[--db FILE] [--project NAME] [--branch NAME] [--json]';

function statusCommand(name: string, status: TaskStatus, summary: string, verb: string): Command {
  const usage = `taskhooks tasks ${name} ID [--note TEXT] ${OPTS}`;
  return {
    name: `tasks ${name}`,
    summary,
    usage,
    async run(ctx) {
      const { values, positionals } = parseFlags(ctx.args, { ...common, note: { type: 'string' } }, usage);
      const id = oneId(positionals, usage);
      const task = await withSource(ctx, values, (s) => s.setStatus(id, status, { note: values.note }), { scope: commandScope(ctx, values) });
      if (values.json) printJson(ctx.out, task);
      else ctx.out.stdout.write(`${verb} ${shown(task.id)}: ${shown(task.title)} (${shown(task.status)})\n`);
      return 0;
    },
  };
}

export const tasksCommands: Command[] = [
  {
    name: 'tasks list',
    summary: 'List pending tasks of this project and branch (from the configured task source)',
    usage: `taskhooks tasks list ${OPTS}`,
    async run(ctx) {
      const { values } = parseFlags(ctx.args, common, `taskhooks tasks list ${OPTS}`);
      const scope = commandScope(ctx, values);
      const result = await withSource(ctx, values, (s) => s.pending(scope).then((r) => ({ ...r, server: s.server() })));
      if (values.json) {
        printJson(ctx.out, { project: scope.project, branch: scope.branch, source: result.server, tasks: result.tasks, ...(result.note ? { note: result.note } : {}) });
        return 0;
      }
      if (result.note) ctx.out.stderr.write(`${paint(ctx.out, 'yellow', 'note:')} ${shown(result.note)}\n`);
      printTasks(ctx.out, result.tasks);
      return 0;
    },
  },
  {
    name: 'tasks next',
    summary: 'Show the next task to work on',
    usage: `taskhooks tasks next ${OPTS}`,
    async run(ctx) {
      const { values } = parseFlags(ctx.args, common, `taskhooks tasks next ${OPTS}`);
      const scope = commandScope(ctx, values);
      const next = await withSource(ctx, values, (s) => s.next(scope));
      if (values.json) printJson(ctx.out, next);
      else if (next) printTask(ctx.out, next);
      else ctx.out.stdout.write('No actionable task.\n');
      return 0;
    },
  },
  {
    name: 'tasks show',
    summary: 'Show one task',
    usage: `taskhooks tasks show ID ${OPTS}`,
    async run(ctx) {
      const usage = `taskhooks tasks show ID ${OPTS}`;
      const { values, positionals } = parseFlags(ctx.args, common, usage);
      const id = oneId(positionals, usage);
      const task = await withSource(ctx, values, (s) => s.get(id));
      if (values.json) printJson(ctx.out, task);
      else printTask(ctx.out, task);
      return 0;
    },
  },
  {
    name: 'tasks add',
    summary: 'Add a task to this project and branch',
    usage: `taskhooks tasks add TITLE [--description TEXT] [--priority ${TASK_PRIORITIES.join('|')}] [--label L]… ${OPTS}`,
    async run(ctx) {
      const usage = `taskhooks tasks add TITLE [--description TEXT] [--priority ${TASK_PRIORITIES.join('|')}] [--label L]… ${OPTS}`;
      const { values, positionals } = parseFlags(
        ctx.args,
        { ...common, description: { type: 'string' }, priority: { type: 'string' }, label: { type: 'string', multiple: true } },
        usage,
      );
      const title = positionals.join(' ').trim();
      if (!title) throw new UserError(`a title is required (usage: ${usage})`, 2);
      if (values.priority !== undefined && !isTaskPriority(values.priority)) {
        throw new UserError(`--priority ${values.priority} is not one of ${TASK_PRIORITIES.join(', ')}`, 2);
      }
      const scope = commandScope(ctx, values);
      const task = await withSource(
        ctx,
        values,
        (s) => s.create(scope, { title, description: values.description, priority: values.priority as Task['priority'] | undefined, labels: values.label }),
        { scope },
      );
      if (values.json) printJson(ctx.out, task);
      else ctx.out.stdout.write(`Added ${shown(task.id)}: ${shown(task.title)}\n`);
      return 0;
    },
  },
  statusCommand('start', 'in_progress', 'Mark a task in progress', 'Started'),
  statusCommand('done', 'done', 'Mark a task done (--note: completion summary)', 'Done'),
  statusCommand('block', 'blocked', 'Mark a task blocked (--note: why)', 'Blocked'),
];
