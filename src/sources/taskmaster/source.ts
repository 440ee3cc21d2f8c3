// Task Master (npm task-master-ai) over stdio: get_tasks, next_task, get_task, set_task_status, each with the
// absolute projectRoot. Its ids are strings in get_tasks and numbers in next_task/get_task; both become strings.
//
// Status mapping (Task Master → taskhooks): pending → todo, in-progress → in_progress, review → review,
// blocked → blocked, done → done, cancelled → cancelled, and deferred → blocked: deferred work is still open
// (so it is listed) but must never be offered as the next task. Back to Task Master: todo → pending,
// in_progress → in-progress, testing → review (it has no testing), others by the same name.
import { z } from 'zod';
import type { ToolSession } from '../../resilience/tool-session.js';
import { OPEN_STATUSES, TASK_PRIORITIES, comparePending, type Task, type TaskStatus } from '../../tasks/task.js';
import { isTaskSourceError, TaskSourceError, notFound } from '../../errors/task-source.js';
import { leftOutNote, lenientList, parseAnswer } from '../parse.js';
import { deadlineOf, type SourceCallOptions, type TaskSource } from '../source.js';
import { TASKMASTER_STATUSES } from './definition.js';

const TASKMASTER_REQUIRED_TOOLS = ['get_tasks', 'next_task', 'get_task', 'set_task_status'] as const;

const TO_TASKMASTER: Record<TaskStatus, string> = {
  todo: 'pending',
  in_progress: 'in-progress',
  review: 'review',
  testing: 'review',
  blocked: 'blocked',
  done: 'done',
  cancelled: 'cancelled',
};

const id = z.union([z.string().min(1), z.number()]).transform(String);

const TaskmasterTask = z
  .looseObject({
    id,
    title: z.string(),
    description: z.string().nullish(),
    status: z.string().refine((s) => s in TASKMASTER_STATUSES, {
      message: `status must be one of ${Object.keys(TASKMASTER_STATUSES).join(', ')}`,
    }),
    priority: z.string().nullish(),
    dependencies: z.array(id).nullish(),
  })
  .transform(
    (t): Task => ({
      id: t.id,
      title: t.title,
      description: t.description ?? '',
      status: TASKMASTER_STATUSES[t.status] as TaskStatus,
      priority: (TASK_PRIORITIES as readonly string[]).includes(t.priority ?? '')
        ? (t.priority as Task['priority'])
        : 'medium',
      assignees: [],
      labels: [],
      dependencies: t.dependencies ?? [],
    }),
  );

const GetTasksAnswer = z.looseObject({ data: z.looseObject({ tasks: lenientList(TaskmasterTask) }) });
const NextTaskAnswer = z.looseObject({ data: z.looseObject({ nextTask: TaskmasterTask.nullish() }) });
const GetTaskAnswer = z.looseObject({ data: TaskmasterTask });
const SetStatusAnswer = z.looseObject({ data: z.looseObject({ message: z.string().optional() }) });

export interface TaskmasterOptions {
  /** The project root Task Master reads `.taskmaster/` from, until a call's scope names another. */
  root: string;
  /** A call's deadline when its caller gives none. */
  defaultDeadlineMs: number;
}

/** What the source calls with: the tool session, and the project root Task Master reads (the last scope's). */
interface TaskmasterCalls {
  readonly toolSession: ToolSession;
  readonly defaultDeadlineMs: number;
  root: string;
}

/** A Task Master tool called with the project root, its answer checked by `schema`; its "no tasks found" a not-found. */
async function call<S extends z.ZodType>(
  tm: TaskmasterCalls,
  tool: string,
  args: Record<string, unknown>,
  schema: S,
  opts: SourceCallOptions,
): Promise<z.output<S>> {
  const deadline = deadlineOf(opts, tm.defaultDeadlineMs);
  try {
    const raw = await tm.toolSession.call(tool, { ...args, projectRoot: tm.root }, { deadline });
    return parseAnswer(schema, raw, tool, tm.toolSession.server());
  } catch (err) {
    // "Error: No tasks found for ID(s): 99" is Task Master's not-found.
    if (
      isTaskSourceError(err) &&
      err.kind === 'server' &&
      typeof args.id === 'string' &&
      /no tasks? found/i.test(err.message)
    ) {
      throw notFound('Task', args.id, tm.toolSession.server());
    }
    throw err;
  }
}

export function taskmasterSource(toolSession: ToolSession, options: TaskmasterOptions): TaskSource {
  const tm: TaskmasterCalls = { toolSession, defaultDeadlineMs: options.defaultDeadlineMs, root: options.root };
  const server = (): string => toolSession.server();
  return {
    adapter: 'taskmaster',
    requiredTools: TASKMASTER_REQUIRED_TOOLS,
    server,
    async pending(scope, opts = {}) {
      tm.root = scope.projectRoot;
      const { data } = await call(tm, 'get_tasks', {}, GetTasksAnswer, opts);
      const tasks = data.tasks.items.filter((t) => OPEN_STATUSES.includes(t.status)).sort(comparePending);
      const note = leftOutNote(data.tasks.left);
      return note ? { tasks, note } : { tasks };
    },
    async next(scope, opts = {}) {
      tm.root = scope.projectRoot;
      return (await call(tm, 'next_task', {}, NextTaskAnswer, opts)).data.nextTask ?? null;
    },
    async get(taskId, opts = {}) {
      return (await call(tm, 'get_task', { id: taskId }, GetTaskAnswer, opts)).data;
    },
    async setStatus(taskId, status, opts = {}) {
      await call(tm, 'set_task_status', { id: taskId, status: TO_TASKMASTER[status] }, SetStatusAnswer, opts);
      return (await call(tm, 'get_task', { id: taskId }, GetTaskAnswer, opts)).data;
    },
    async create() {
      throw new TaskSourceError(
        'config',
        'Task Master adds tasks with its own CLI (`task-master add-task`), which needs an AI key: taskhooks does not create them',
        { short: 'not supported by Task Master', place: server() },
      );
    },
    listTools: (opts = {}) => toolSession.listTools({ deadline: deadlineOf(opts, tm.defaultDeadlineMs) }),
    close: () => toolSession.close(),
  };
}
