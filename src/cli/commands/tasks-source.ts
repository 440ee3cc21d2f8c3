// What every `taskhooks tasks …` command shares: its flags, the project and branch it acts on, and the task source
// reached through the one route chosen for it (./task-route.ts), or the embedded store read in process.
import path from 'node:path';
import { settingsIn, type Settings } from '../../config/settings.js';
import type { SourceDefinition, SourceWrite } from '../../sources/contract.js';
import { readInProcess, type LocalRead } from '../../sources/embedded/in-process.js';
import { checkOwnProject, definitionActedOn, refuseWrite } from '../../sources/refusals.js';
import type { TaskSource } from '../../sources/source.js';
import { locateScope, type Scope } from '../../tasks/scope.js';
import { fieldsFromFlags, ON_TASK, type OnTaskFlags, type TaskFieldValues } from '../../tasks/fields.js';
import { UsageError } from '../args.js';
import type { CliContext, FlagSpec } from '../command.js';
import { checkProjectName, dirFlag, dirFromFlags, JSON_FLAG, PROJECT_FLAG } from '../flags.js';
import { checkMonitor, onRoute, routeOptions } from './task-route.js';

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
  const { fields, problem } = fieldsFromFlags(values);
  if (problem) throw new UsageError(problem);
  return fields;
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
  const settings = values.dir === undefined ? ctx.settings : await settingsIn(dir, ctx.env);
  const { scope } = locateScope(settings.project, dir);
  const narrowed = {
    ...scope,
    ...(values.branch ? { branch: values.branch } : {}),
    ...(values.project ? { project: values.project } : {}),
  };
  const target = { settings, scope: narrowed, ...(values.db ? { dbFile: path.resolve(ctx.cwd, values.db) } : {}) };
  if (definitionHere(target).name === 'embedded' && !target.dbFile) await checkMonitor(ctx, settings.home);
  return target;
}

/** The definition of the source a command acts on: the configured one, or the embedded store of a --db file. */
export const definitionHere = (target: TaskTarget): SourceDefinition =>
  definitionActedOn(target.settings.source.plan, target.dbFile);

/**
 * Runs `fn` on the task source, through the one route chosen for the command (./task-route.ts). A change the
 * source's definition does not declare is refused first, in one line, before anything is opened or asked.
 */
export async function withSource<T>(
  ctx: CliContext,
  target: TaskTarget,
  fn: (source: TaskSource) => Promise<T>,
  opts: { write?: SourceWrite } = {},
): Promise<T> {
  const definition = definitionHere(target);
  if (opts.write) refuseWrite(definition, opts.write);
  const options = routeOptions(ctx, { ...target, sourceName: definition.name }, opts.write !== undefined);
  return onRoute(ctx, options, fn);
}

/** `fn` on the task source once task `id` is found to be this project's; another project's is refused for `command`. */
export const withOwnTask = <T>(
  ctx: CliContext,
  target: TaskTarget,
  task: { id: string; command: string },
  fn: (source: TaskSource) => Promise<T>,
  opts: { write?: SourceWrite } = {},
): Promise<T> =>
  withSource(
    ctx,
    target,
    async (s) => {
      await checkOwnProject(s, task.id, target.scope.project, task.command);
      return fn(s);
    },
    opts,
  );

/**
 * The embedded store read in this process (src/sources/embedded/in-process.ts): undefined when the source is another
 * one or the read cannot answer, and the caller goes through `withSource`.
 */
export const readLocally = <T>(
  ctx: CliContext,
  target: TaskTarget,
  read: (local: LocalRead, file: string) => T | undefined,
): Promise<T | undefined> =>
  readInProcess(
    { source: definitionHere(target).name, home: target.settings.home, dbFile: target.dbFile, log: () => ctx.log() },
    read,
  );
