// The board's task operations: the same TaskSource, opened the same way (useTaskSource), as `taskhooks tasks …`, for
// the project the page shows, with that project's own settings. Requests are checked here, at the boundary.
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { Cache } from '../cache/cache.js';
import { loadSettings } from '../config/settings.js';
import type { Logger } from '../log/logger.js';
import { operation, type TaskSource } from '../sources/source.js';
import { ON_TASK, type OnTaskName, type TaskFieldValues } from '../tasks/fields.js';
import { checkNewTask } from '../tasks/new-task.js';
import { locateScope, type Scope } from '../tasks/scope.js';
import { TASK_PRIORITIES, TASK_STATUSES } from '../tasks/task.js';
import type { Task } from '../tasks/task.js';
import type { BoardWork } from './board.js';
import type { BoardProject } from './state.js';

// zod/mini: the monitor's module graph reaches this file from every CLI command, which must not load zod's full build.
const title = z.string().check(z.trim(), z.minLength(1, 'the title is empty'), z.maxLength(500));
const id = z.string().check(z.minLength(1), z.maxLength(200));
const description = z.string().check(z.maxLength(10_000));

const fieldValue = z.optional(z.string().check(z.maxLength(10_000)));
/** The plain fields a person meets (src/tasks/fields.ts), as the add and edit forms send them; the store checks them. */
const fieldShape = Object.fromEntries(ON_TASK.map(({ name }) => [name, fieldValue])) as {
  [K in OnTaskName]: typeof fieldValue;
};

/**
 * The plain fields an add or an edit sets. The form sends every input, so an empty one is left unset on a new task and
 * alone on an edit rather than cleared: it may be a field the source cannot hold, or a value a date input cannot show
 * (`tasks edit --due ""` clears).
 */
const fieldsOf = (action: TaskFieldValues): TaskFieldValues =>
  Object.fromEntries(ON_TASK.flatMap(({ name }) => (action[name] ? [[name, action[name]]] : [])));

/** What the page may ask for: one schema, the only shape a write request may have. */
export const BoardAction = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('add'),
    title,
    priority: z.optional(z.enum(TASK_PRIORITIES)),
    description: z.optional(description),
    /** The add form's labels, as a person types them: separated by commas. */
    labels: z.optional(z.string().check(z.maxLength(10_000))),
    ...fieldShape,
  }),
  z.object({ action: z.literal('move'), id, status: z.enum(TASK_STATUSES) }),
  z.object({
    action: z.literal('edit'),
    id,
    title: z.optional(title),
    priority: z.optional(z.enum(TASK_PRIORITIES)),
    description: z.optional(description),
    ...fieldShape,
  }),
  z.object({ action: z.literal('delete'), id }),
]);
export type BoardAction = z.infer<typeof BoardAction>;

export interface BoardTasks {
  /** Every task of the project's current scope the source lists. */
  list(project: BoardProject): Promise<Task[]>;
  /** The tasks' last work records, newest first, by task id: the built-in store's; none for another source. */
  work(project: BoardProject, taskIds: readonly string[]): Promise<BoardWork>;
  /** Applies one action through the task source; the cache is up to date when it returns. */
  act(project: BoardProject, action: BoardAction): Promise<void>;
}

/**
 * The settings and scope a board project is acted on with: a followed project's own, from its folder; one only a
 * snapshot names is reached by name and branch through the settings of the home (the user's config), which must be
 * the source its snapshot came from.
 */
async function located(project: BoardProject, ctx: { home: string; env: NodeJS.ProcessEnv }) {
  if (project.root !== undefined) {
    const { settings } = await loadSettings({ cwd: project.root, env: ctx.env });
    return { settings, scope: locateScope(settings.project, project.root).scope };
  }
  const { settings } = await loadSettings({ cwd: ctx.home, env: ctx.env });
  if (settings.source.key !== project.sourceKey)
    throw new Error(
      `the tasks of ${project.name} come from a source its folder configures: open a session there, or run \`taskhooks install\` in it, to see them here`,
    );
  const scope: Scope = { projectRoot: ctx.home, project: project.name, branch: project.branch };
  return { settings, scope };
}

/** The tasks' work records: the built-in store's, read by a lazy file; another source keeps none. */
async function workOf(
  project: BoardProject,
  taskIds: readonly string[],
  ctx: { home: string; env: NodeJS.ProcessEnv },
) {
  const { settings, scope } = await located(project, ctx);
  if (settings.source.plan.kind !== 'embedded' || taskIds.length === 0) return new Map();
  const { boardWork } = await import('./board-work.js');
  return boardWork(settings.home, scope.project, taskIds, project.root);
}

export function boardTasks(ctx: { cache: Cache; log: Logger; env: NodeJS.ProcessEnv; home: string }): BoardTasks {
  const use = async <T>(
    project: BoardProject,
    write: boolean,
    fn: (source: TaskSource, scope: Scope) => Promise<T>,
  ): Promise<T> => {
    const { settings, scope } = await located(project, ctx);
    const { useTaskSource } = await import('../network/index.js');
    return useTaskSource(
      {
        source: settings.source,
        home: settings.home,
        cache: ctx.cache,
        log: ctx.log,
        scope,
        projectRoot: scope.projectRoot,
        write,
        // One id per board action: a retry of its write answers what landed instead of writing again.
        requestId: randomUUID(),
      },
      (source) => fn(source, scope),
    );
  };
  return {
    // The board shows finished tasks too where the source can list them.
    list: (project) =>
      use(project, false, async (source, scope) =>
        source.listAll ? source.listAll(scope) : (await source.pending(scope)).tasks,
      ),
    work: (project, taskIds) => workOf(project, taskIds, ctx),
    act: (project, action) =>
      use(project, true, async (source, scope) => {
        switch (action.action) {
          case 'add': {
            const labels = action.labels?.split(',').filter((l) => l.trim() !== '');
            const { task, problem } = checkNewTask({ ...action, labels, ...fieldsOf(action) }, '');
            if (problem !== undefined) throw new Error(problem);
            await source.create(scope, task);
            return;
          }
          case 'move':
            await source.setStatus(action.id, action.status);
            return;
          case 'edit':
            await operation(source, 'edit', 'edit a task')(
              action.id,
              { title: action.title, priority: action.priority, description: action.description, ...fieldsOf(action) },
              scope,
            );
            return;
          case 'delete':
            await operation(source, 'remove', 'delete a task')(action.id);
            return;
        }
      }),
  };
}
