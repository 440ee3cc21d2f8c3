// Task Master (npm task-master-ai) over stdio: get_tasks, next_task, get_task, set_task_status, each with the
// absolute projectRoot. Its ids are strings in get_tasks and numbers in next_task/get_task; both become strings.
//
// Status mapping (Task Master → taskhooks): pending → todo, in-progress → in_progress, review → review,
// blocked → blocked, done → done, cancelled → cancelled, and deferred → blocked: deferred work is still open
// (so it is listed) but must never be offered as the next task. Back to Task Master: todo → pending,
// in_progress → in-progress, testing → review (it has no testing), others by the same name.
import { z } from 'zod';
import type { ToolSession } from '../../resilience/tool-session.js';
import type { Deadline } from '../../util/deadline.js';
import { OPEN_STATUSES, TASK_PRIORITIES, comparePending, type Task, type TaskStatus } from '../../tasks/task.js';
import { isTaskSourceError, TaskSourceError, notFound } from '../../errors/task-source.js';
import { checkedCall, leftOutNote, lenientList, type ToolCall } from '../parse.js';
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

export function taskmasterSource(toolSession: ToolSession, options: TaskmasterOptions): TaskSource {
  const server = (): string => toolSession.server();
  const checked = checkedCall(toolSession);
  /** The project root Task Master reads: the last scope's. */
  let root = options.root;
  const deadlineFor = (opts: SourceCallOptions): Deadline => deadlineOf(opts, options.defaultDeadlineMs);
  /** A Task Master tool called with the project root; its "no tasks found" a not-found. */
  const call: ToolCall = async (tool, args, schema, deadline) => {
    try {
      return await checked(tool, { ...args, projectRoot: root }, schema, deadline);
    } catch (err) {
      // "Error: No tasks found for ID(s): 99" is Task Master's not-found.
      if (
        isTaskSourceError(err) &&
        err.kind === 'server' &&
        typeof args.id === 'string' &&
        /no tasks? found/i.test(err.message)
      ) {
        throw notFound('Task', args.id, server());
      }
      throw err;
    }
  };
  return {
    adapter: 'taskmaster',
    requiredTools: TASKMASTER_REQUIRED_TOOLS,
    server,
    async pending(scope, opts = {}) {
      root = scope.projectRoot;
      const { data } = await call('get_tasks', {}, GetTasksAnswer, deadlineFor(opts));
      const tasks = data.tasks.items.filter((t) => OPEN_STATUSES.includes(t.status)).sort(comparePending);
      const note = leftOutNote(data.tasks.left);
      return note ? { tasks, note } : { tasks };
    },
    async next(scope, opts = {}) {
      root = scope.projectRoot;
      return (await call('next_task', {}, NextTaskAnswer, deadlineFor(opts))).data.nextTask ?? null;
    },
    async get(taskId, opts = {}) {
      return (await call('get_task', { id: taskId }, GetTaskAnswer, deadlineFor(opts))).data;
    },
    async setStatus(taskId, status, opts = {}) {
      const deadline = deadlineFor(opts);
      await call('set_task_status', { id: taskId, status: TO_TASKMASTER[status] }, SetStatusAnswer, deadline);
      return (await call('get_task', { id: taskId }, GetTaskAnswer, deadline)).data;
    },
    async create() {
      throw new TaskSourceError(
        'config',
        'Task Master adds tasks with its own CLI (`task-master add-task`), which needs an AI key: taskhooks does not create them',
        { short: 'not supported by Task Master', place: server() },
      );
    },
    listTools: (opts = {}) => toolSession.listTools({ deadline: deadlineFor(opts) }),
    close: () => toolSession.close(),
  };
}
