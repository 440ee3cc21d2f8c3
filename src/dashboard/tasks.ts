// The board's task operations: the same TaskSource, opened the same way (useTaskSource), as `taskhooks tasks …`, for
// the project the page shows, with that project's own settings. Requests are checked here, at the boundary.
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { Cache } from '../cache/cache.js';
import { loadSettings } from '../config/settings.js';
import type { Logger } from '../log/logger.js';
import { operation, type TaskSource } from '../sources/source.js';
import { locateScope, type Scope } from '../tasks/scope.js';
import { TASK_PRIORITIES, TASK_STATUSES } from '../tasks/task.js';
import type { Task } from '../tasks/task.js';

// zod/mini: the monitor's module graph reaches this file from every CLI command, which must not load zod's full build.
const title = z.string().check(z.trim(), z.minLength(1, 'a title cannot be empty'), z.maxLength(500));
const id = z.string().check(z.minLength(1), z.maxLength(200));
const description = z.string().check(z.maxLength(10_000));

/** What the page may ask for: one schema, the only shape a write request may have. */
export const BoardAction = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('add'),
    title,
    priority: z.optional(z.enum(TASK_PRIORITIES)),
    description: z.optional(description),
  }),
  z.object({ action: z.literal('move'), id, status: z.enum(TASK_STATUSES) }),
  z.object({
    action: z.literal('edit'),
    id,
    title: z.optional(title),
    priority: z.optional(z.enum(TASK_PRIORITIES)),
    description: z.optional(description),
  }),
  z.object({ action: z.literal('delete'), id }),
]);
export type BoardAction = z.infer<typeof BoardAction>;

export interface BoardTasks {
  /** Every task of the project's current scope the source lists. */
  list(root: string): Promise<Task[]>;
  /** Applies one action through the task source; the cache is up to date when it returns. */
  act(root: string, action: BoardAction): Promise<void>;
}

export function boardTasks(ctx: { cache: Cache; log: Logger; env: NodeJS.ProcessEnv }): BoardTasks {
  const use = async <T>(
    root: string,
    write: boolean,
    fn: (source: TaskSource, scope: Scope) => Promise<T>,
  ): Promise<T> => {
    const { settings } = await loadSettings({ cwd: root, env: ctx.env });
    const { scope } = locateScope(settings.project, root);
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
    list: (root) =>
      use(root, false, async (source, scope) =>
        source.listAll ? source.listAll(scope) : (await source.pending(scope)).tasks,
      ),
    act: (root, action) =>
      use(root, true, async (source, scope) => {
        switch (action.action) {
          case 'add':
            await source.create(scope, {
              title: action.title,
              priority: action.priority,
              description: action.description,
            });
            return;
          case 'move':
            await source.setStatus(action.id, action.status);
            return;
          case 'edit':
            await operation(source, 'edit', 'edit a task')(
              action.id,
              { title: action.title, priority: action.priority, description: action.description },
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
