// What every `taskhooks tasks …` command shares: its flags, the project and branch it acts on, the task source opened
// for it (and the cache brought up to date after a change), and how tasks are printed.
import path from 'node:path';
import { homeFiles } from '../../home/files.js';
import { randomUUID } from '../../util/crypto.js';
import { readStoreServerEndpoint } from '../../home/store-server.js';
import { loadSettings, type Settings } from '../../config/settings.js';
import { stripControls } from '../../context/sanitize.js';
import { isTaskSourceError } from '../../errors/task-source.js';
import { UserError } from '../../errors/user.js';
import type { SourceDefinition, SourceWrite } from '../../sources/contract.js';
import { EMBEDDED_VIA_MONITOR } from '../../sources/embedded/notes.js';
import { sourceName } from '../../sources/plan.js';
import { definitionOf } from '../../sources/registry.js';
import type { TaskSource } from '../../sources/source.js';
import { locateScope, type Scope } from '../../tasks/scope.js';
import { fieldProblem, ON_TASK, type OnTaskFlags, type TaskFieldValues } from '../../tasks/fields.js';
import type { Task } from '../../tasks/task.js';
import { UsageError } from '../args.js';
import type { CliContext, FlagSpec } from '../command.js';
import { checkProjectName, dirFlag, dirFromFlags, JSON_FLAG, PROJECT_FLAG } from '../flags.js';
import { paint, progress, table, type Out } from '../output.js';

export const TASK_FLAGS = {
  dir: dirFlag('act on the project in this directory: its config, project and branch (default: the working directory)'),
  project: PROJECT_FLAG,
  branch: {
    type: 'string',
    placeholder: 'NAME',
    description: "the branch (default: the directory's current git branch)",
  },
  db: {
    type: 'string',
    placeholder: 'FILE',
    description: 'use this tasks.db file in-process instead of the configured source (the cache is left alone)',
  },
  json: JSON_FLAG,
} as const satisfies Record<string, FlagSpec>;

type FieldFlag = { type: 'string'; placeholder: string; description: string };

/** `tasks add` and `tasks edit` take each plain field a person meets as its flag (src/tasks/fields.ts). */
export const FIELD_FLAGS = Object.fromEntries(
  ON_TASK.map(({ spec }) => [
    spec.task.flag,
    { type: 'string', placeholder: spec.task.placeholder, description: spec.task.description },
  ]),
) as OnTaskFlags<FieldFlag>;

/** The flags' names, as a usage line lists them. */
export const FIELD_FLAG_NAMES = ON_TASK.map(({ spec }) => `--${spec.task.flag}`);

/** The plain fields the flags give, each checked against its kind; absent ones are left out. */
export function fieldValues(values: Readonly<Record<string, unknown>>): TaskFieldValues {
  const fields: Record<string, string> = {};
  for (const { name, spec } of ON_TASK) {
    const value = values[spec.task.flag];
    if (typeof value !== 'string') continue;
    const problem = value === '' ? undefined : fieldProblem(spec.kind, value);
    if (problem) throw new UsageError(`--${spec.task.flag} ${problem}`);
    fields[name] = value;
  }
  return fields;
}

/**
 * Says on stderr which given fields the task source did not keep (a source with nowhere to keep a due date drops it):
 * better said now than found missing later. A field given empty, to clear it, is not looked for.
 */
export function warnUnkept(ctx: CliContext, given: TaskFieldValues, task: Task, source: string): void {
  for (const { name, spec } of ON_TASK) {
    if (given[name] && !task[name])
      ctx.out.stderr.write(
        `${paint(ctx.out, 'yellow', 'note:')} the ${source} task source did not keep --${spec.task.flag}\n`,
      );
  }
}

type TaskFlagValues = {
  dir?: string | undefined;
  project?: string | undefined;
  branch?: string | undefined;
  db?: string | undefined;
};

export interface TaskTarget {
  settings: Settings;
  /** This directory's project and branch, narrowed by --project and --branch. */
  scope: Scope;
  /** A --db file to use instead of the configured source. */
  dbFile?: string;
}

/** Where a command acts: the directory (--dir, else the working one) with its own settings, narrowed by the flags. */
export async function taskTarget(ctx: CliContext, values: TaskFlagValues): Promise<TaskTarget> {
  checkProjectName(ctx.cwd, values.project);
  const dir = dirFromFlags(ctx, { dir: values.dir }, ctx.cwd);
  let settings = ctx.settings;
  if (values.dir !== undefined) {
    const loaded = await loadSettings({ cwd: dir, env: ctx.env });
    const problems = loaded.loaded.problems.map((p) => p.message);
    if (problems.length > 0)
      throw new UserError(
        `the configuration in ${dir} has problems: ${problems.join('; ')} (\`taskhooks config --dir ${dir}\` shows them)`,
        2,
      );
    settings = loaded.settings;
  }
  const { scope } = locateScope(settings.project, dir);
  const narrowed = {
    ...scope,
    ...(values.branch ? { branch: values.branch } : {}),
    ...(values.project ? { project: values.project } : {}),
  };
  return { settings, scope: narrowed, ...(values.db ? { dbFile: path.resolve(ctx.cwd, values.db) } : {}) };
}

/** Each write as a sentence says it cannot be done. */
const WRITE_WORDS: Readonly<Record<SourceWrite, string>> = {
  start: 'start a task',
  done: 'mark a task done',
  block: 'mark a task blocked',
  reopen: 'reopen a task',
  note: 'keep notes',
  add: 'add a task',
  edit: 'edit a task',
  remove: 'delete a task',
};

/** The definition of the source a command acts on: the configured one, or the embedded store of a --db file. */
export const definitionHere = (target: TaskTarget): SourceDefinition =>
  definitionOf(target.dbFile ? 'embedded' : sourceName(target.settings.source.plan));

/**
 * The one line saying a source cannot make this change, from the writes its definition declares; undefined when it
 * declares it. Nothing is opened or asked before this is known.
 */
export function refusedWrite(
  definition: Pick<SourceDefinition, 'name' | 'capabilities'>,
  write: SourceWrite,
): string | undefined {
  const { writes } = definition.capabilities;
  if (writes.includes(write)) return undefined;
  const can = writes.length > 0 ? `it can ${writes.join(', ')}` : 'it is read-only here';
  return `the ${definition.name} task source cannot ${WRITE_WORDS[write]}: ${can} (use its own tools; docs/sources.md lists what each source can do)`;
}

/**
 * Opens the cache and the task source for one command and always closes both. After a change (`write`), the cache
 * holds the new state before the command returns: the project's snapshots are marked stale, the command's own scope
 * is fetched again through the same connection, and a running monitor is woken for the rest. A change the source's
 * definition does not declare is refused first, in one line.
 */
export async function withSource<T>(
  ctx: CliContext,
  target: TaskTarget,
  fn: (source: TaskSource) => Promise<T>,
  opts: { write?: SourceWrite } = {},
): Promise<T> {
  const refused = opts.write && refusedWrite(definitionHere(target), opts.write);
  if (refused) throw new UserError(refused, 2);
  const { settings, scope, dbFile } = target;
  const { source: sourceSettings, home } = settings;
  const log = ctx.log();
  const { openCache } = await import('../../cache/cache.js');
  const cache = openCache({ home, log });
  try {
    // The network stack (SDK, zod, openid-client) loads only for task commands, never for `taskhooks --help`.
    const connecting = progress(ctx.out, 'connecting to the task source');
    const { useTaskSource } = await import('../../network/index.js').finally(connecting);
    return await useTaskSource(
      {
        source: sourceSettings,
        home,
        cache,
        log,
        scope,
        projectRoot: scope.projectRoot,
        write: opts.write !== undefined,
        // One id for this command's writes: a retry (after a timeout, or on the next endpoint) answers what landed.
        requestId: randomUUID(),
        ...(dbFile ? { dbFile } : {}),
      },
      fn,
    );
  } catch (err) {
    // A task source failure is something to fix, not a crash: one line, no stack trace.
    // An id the source does not know is the caller's to fix, like any other bad argument.
    if (isTaskSourceError(err) && err.kind === 'not_found') {
      throw new UserError(
        `${err.message} (\`taskhooks tasks list --all\` shows the ids of this project and branch)`,
        2,
        { cause: err },
      );
    }
    // A source that cannot do what was asked (or is not set up for it) is not a failure to retry.
    if (isTaskSourceError(err)) throw new UserError(err.message, err.kind === 'config' ? 2 : 1, { cause: err });
    throw err;
  } finally {
    cache.close();
  }
}

/** A project name as a shell word in the hint: bare when it can be, else single-quoted. */
const shellWord = (v: string): string => (/^[\w.@%+=:,/-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`);

/**
 * Refuses task `id` when it belongs to another project than the command's: where one server's ids span projects, a
 * command run in project beta with alpha's TASK-001 would otherwise act on alpha's task without a word. The line
 * names the owner (`owner`, undefined when unknown) and the flag that acts on it anyway. `command` is how the user
 * called it, e.g. `tasks start`.
 */
export function refuseOtherProject(id: string, owner: string | undefined, target: TaskTarget, command: string): void {
  const here = target.scope.project;
  if (owner === undefined || owner === here) return;
  const shown = stripControls(owner);
  throw new UserError(
    `${stripControls(id)} belongs to project ${shown}, not ${stripControls(here)}: to act on it anyway, name its project (\`taskhooks ${command} ${shellWord(stripControls(id))} --project ${shellWord(shown)}\`)`,
    2,
  );
}

/** The same refusal, asking the source which project the task belongs to where its ids span projects. */
export async function checkOwnProject(s: TaskSource, id: string, target: TaskTarget, command: string): Promise<void> {
  if (s.projectOf) refuseOtherProject(id, await s.projectOf(id), target, command);
}

type LocalRead = typeof import('../../sources/embedded/local-read.js');

/**
 * A read of the embedded store in this process (`read`, given its file), with no network stack, task server or cache:
 * what `withSource` would answer, for a fraction of the start-up. Undefined when the source is another one, or the
 * read cannot answer (the store needs the full open to migrate or restore it; an id it does not hold), and the
 * caller goes through `withSource`.
 */
export async function readLocally<T>(
  ctx: CliContext,
  target: TaskTarget,
  read: (local: LocalRead, file: string) => T | undefined,
): Promise<T | undefined> {
  if (definitionHere(target).name !== 'embedded') return undefined;
  const file = target.dbFile ?? homeFiles(target.settings.home).tasks;
  try {
    return read(await import('../../sources/embedded/local-read.js'), file);
  } catch (err) {
    ctx.log().warn({ err, file }, 'reading the task store in process failed: reading it through its server instead');
    return undefined;
  }
}

/** The server a served read of the embedded store names: the monitor's, where it serves this store. */
export function embeddedServer(target: TaskTarget): string {
  if (target.dbFile) return 'embedded';
  try {
    // Named for the store, not for the monitor's loopback port, which dies with it.
    return readStoreServerEndpoint(target.settings.home) ? EMBEDDED_VIA_MONITOR : 'embedded';
  } catch {
    return 'embedded'; // a damaged endpoint file: the served read uses the store in process, and says so in its log
  }
}

// Everything a task says is the server's (or its author's) text: it reaches the terminal only through stripControls,
// so no escape sequence can recolour, retitle or rewrite the screen.
function row(out: Out, t: Task): string[] {
  const status =
    t.status === 'in_progress'
      ? paint(out, 'yellow', t.status)
      : t.status === 'blocked'
        ? paint(out, 'red', t.status)
        : stripControls(t.status);
  return [stripControls(t.id), status, stripControls(t.priority), stripControls(t.title)];
}

export function printTasks(out: Out, tasks: Task[], none = 'No pending tasks.'): void {
  if (tasks.length === 0) out.stdout.write(`${none}\n`);
  else
    out.stdout.write(
      table(
        out,
        ['ID', 'STATUS', 'PRIORITY', 'TITLE'],
        tasks.map((t) => row(out, t)),
      ),
    );
}

export function printTask(out: Out, t: Task): void {
  const multiline = (text: string): string => stripControls(text, { multiline: true });
  const lines: Array<[string, string]> = [
    ['id', stripControls(t.id)],
    ['title', stripControls(t.title)],
    ['status', stripControls(t.status)],
    ['priority', stripControls(t.priority)],
  ];
  if (t.description) lines.push(['description', multiline(t.description)]);
  // A branch the source could not name is shown by its id, and said to be one.
  if (t.branch)
    lines.push([
      'branch',
      t.branch === t.branchId
        ? `${stripControls(t.branch)} ${paint(out, 'dim', '(branch id)')}`
        : stripControls(t.branch),
    ]);
  if (t.assignees.length) lines.push(['assignees', stripControls(t.assignees.join(', '))]);
  if (t.labels.length) lines.push(['labels', stripControls(t.labels.join(', '))]);
  if (t.dependencies.length) lines.push(['depends on', stripControls(t.dependencies.join(', '))]);
  for (const { name, spec } of ON_TASK) {
    const value = t[name];
    if (value) lines.push([spec.task.label, multiline(value)]);
  }
  if (t.details) lines.push(['notes', multiline(t.details)]);
  if (t.summary) lines.push(['summary', multiline(t.summary)]);
  if (t.createdAt) lines.push(['created', stripControls(t.createdAt)]);
  if (t.updatedAt) lines.push(['updated', stripControls(t.updatedAt)]);
  const width = Math.max(...lines.map(([k]) => k.length));
  // A multi-line value's later lines stay indented under it, so none of them can pass for another field.
  const value = (v: string): string => v.split('\n').join(`\n${' '.repeat(width + 2)}`);
  out.stdout.write(lines.map(([k, v]) => `${paint(out, 'dim', k.padEnd(width))}  ${value(v)}`).join('\n') + '\n');
}
