// The agenthub / dhafnck tools: manage_project, manage_git_branch, manage_task. The local git branch is mapped
// to the server's git_branch_id by name (cached in the store); an unregistered branch shows project tasks.
import { kvSet } from '../../cache/kv.js';
import type { ToolSession } from '../../resilience/tool-session.js';
import { ON_TASK, type TaskFieldValues } from '../../tasks/fields.js';
import { COMPLETED_NOTE, notesWithStatusNote } from '../../tasks/rules.js';
import type { Task, TaskStatus } from '../../tasks/task.js';
import type { Scope } from '../../tasks/scope.js';
import { AnyData, BranchData, NextData, ProjectData, TaskData, taskOf } from './schema.js';
import type { Deadline } from '../../util/deadline.js';
import { isTaskSourceError } from '../../errors/task-source.js';
import { deadlineOf, type NewTaskInput, type SourceCallOptions, type TaskEdit, type TaskSource } from '../source.js';
import {
  AGENTHUB_REQUIRED_TOOLS,
  type AgenthubOptions,
  branches,
  call,
  type Hub,
  ID_TTL_SECONDS,
  key,
  orExisting,
  projectId,
  projectName,
  single,
  withFreshIds,
  written,
} from './hub.js';
import { pending, pendingListed, pendingSince, tasksOf } from './list.js';
import { recentWork, sendWorkRecord, taskWorkRecords } from './work.js';

export { type AgenthubOptions, unregisteredProjectNote } from './hub.js';

/** The id of `scope`'s project, registered when missing, as agenthub's own UI does. */
async function ensureProject(h: Hub, scope: Scope, deadline: Deadline): Promise<string> {
  const known = await projectId(h, scope.project, deadline);
  if (known) return known;
  const args = { action: 'create', name: scope.project, description: scope.projectRoot };
  const made = await orExisting(
    async () => (await call(h, 'manage_project', args, ProjectData, deadline)).project.id,
    () => projectId(h, scope.project, deadline),
  );
  kvSet(h.cache, key(h, 'project', scope.project), made, ID_TTL_SECONDS);
  return made;
}

/** The id of branch `name` of `project`, made when missing. */
async function ensureBranch(h: Hub, project: string, name: string, deadline: Deadline): Promise<string> {
  const find = async (): Promise<string | undefined> =>
    (await branches(h, project, deadline)).find((b) => b.name === name)?.id;
  const args = { action: 'create', project_id: project, git_branch_name: name, git_branch_description: '' };
  return (
    (await find()) ??
    orExisting(async () => (await call(h, 'manage_git_branch', args, BranchData, deadline)).git_branch.id, find)
  );
}

async function next(h: Hub, scope: Scope, deadline: Deadline): Promise<Task | null> {
  return withFreshIds(h, scope, deadline, async (r) => {
    if (r.branchId) {
      const args = { action: 'next', git_branch_id: r.branchId, include_context: false };
      const { task } = await call(h, 'manage_task', args, NextData, deadline);
      const found = task?.next_item && taskOf(task.next_item, { notes: true });
      // The branch asked for is the branch the answer is on: its name is the scope's.
      return found ? { ...found, ...(found.branchId === r.branchId ? { branch: scope.branch } : {}) } : null;
    }
    const open = await pendingListed(h, r, deadline, []);
    return open.tasks.find((t) => t.status !== 'blocked') ?? null;
  });
}

/** A task as manage_task names it: its id, and the caller's project where it works in one (ids are per project). */
type Named = { task_id: string; project_id?: string };

const named = (id: string, opts: SourceCallOptions): Named => ({
  task_id: id,
  ...(opts.project ? { project_id: opts.project } : {}),
});

async function setStatus(
  h: Hub,
  task: Named,
  status: TaskStatus,
  note: string | undefined,
  deadline: Deadline,
): Promise<Task> {
  let args: Record<string, unknown>;
  if (status === 'done') args = { action: 'complete', ...task, completion_summary: note ?? COMPLETED_NOTE };
  else if (!note) args = { action: 'update', ...task, status };
  else {
    const { details } = (await call(h, 'manage_task', { action: 'get', ...task }, TaskData, deadline)).task;
    args = { action: 'update', ...task, status, details: notesWithStatusNote(details, status, note) };
  }
  return written(h, args, deadline);
}

/** The plain fields a person gave, by manage_task's argument names. */
function fieldArgs(values: TaskFieldValues): Record<string, string> {
  const args: Record<string, string> = {};
  for (const { name, spec } of ON_TASK) {
    const value = values[name];
    if (value !== undefined) args[spec.arg] = value;
  }
  return args;
}

/**
 * Where a new task goes: the built-in store (which lists whole projects) keeps a task for every branch unless it is
 * asked for the scope's branch alone; agenthub keeps every task on a branch, made with its project when missing.
 */
async function placeOf(h: Hub, scope: Scope, input: NewTaskInput, deadline: Deadline) {
  const project = await ensureProject(h, scope, deadline);
  if (h.options.projectListing && !input.onBranch) return { args: { project_id: project }, branch: undefined };
  const branch = scope.branch || 'main';
  return { args: { git_branch_id: await ensureBranch(h, project, branch, deadline) }, branch };
}

async function create(h: Hub, scope: Scope, input: NewTaskInput, deadline: Deadline): Promise<Task> {
  const place = await placeOf(h, scope, input, deadline);
  const args: Record<string, unknown> = { action: 'create', ...place.args, title: input.title };
  if (input.description) args.description = input.description;
  if (input.details) args.details = input.details;
  if (input.priority) args.priority = input.priority;
  if (input.labels?.length) args.labels = input.labels;
  Object.assign(args, fieldArgs(input));
  const task = taskOf((await call(h, 'manage_task', args, TaskData, deadline)).task, { notes: true });
  return place.branch ? { ...task, branch: place.branch } : task;
}

async function edit(h: Hub, task: Named, change: TaskEdit, scope: Scope, deadline: Deadline): Promise<Task> {
  const args: Record<string, unknown> = { action: 'update', ...task };
  if (change.title !== undefined) args.title = change.title;
  if (change.description !== undefined) args.description = change.description;
  if (change.priority !== undefined) args.priority = change.priority;
  Object.assign(args, fieldArgs(change));
  if (change.branch !== undefined)
    args.git_branch_id = await ensureBranch(h, await ensureProject(h, scope, deadline), change.branch, deadline);
  return written(h, args, deadline);
}

// The house keeps every function under 100 lines: the factory only wires the operations, each read on its own above.
export function agenthubSource(toolSession: ToolSession, options: AgenthubOptions): TaskSource {
  const h: Hub = { toolSession, options, cache: options.cache };
  const deadline = (o: SourceCallOptions): Deadline => deadlineOf(o, options.defaultDeadlineMs);
  return {
    adapter: 'agenthub',
    requiredTools: AGENTHUB_REQUIRED_TOOLS,
    server: () => toolSession.server(),
    pending: (scope, opts = {}) => pending(h, scope, deadline(opts)),
    pendingSince: (scope, since, opts = {}) => pendingSince(h, scope, since, deadline(opts)),
    next: (scope, opts = {}) => next(h, scope, deadline(opts)),
    async get(id, opts = {}) {
      const d = deadline(opts);
      return single(h, (await call(h, 'manage_task', { action: 'get', ...named(id, opts) }, TaskData, d)).task, d);
    },
    async projectOf(id, opts = {}) {
      const d = deadline(opts);
      // The caller's own project first: another may hold the same id, and only where it does not is the owner asked.
      if (opts.project) {
        try {
          await call(h, 'manage_task', { action: 'get', ...named(id, opts) }, TaskData, d);
          return opts.project;
        } catch (err) {
          if (!isTaskSourceError(err) || err.kind !== 'not_found') throw err;
        }
      }
      const { project_id } = (await call(h, 'manage_task', { action: 'get', task_id: id }, TaskData, d)).task;
      return project_id ? projectName(h, project_id, d) : undefined;
    },
    setStatus: (id, status, opts = {}) => setStatus(h, named(id, opts), status, opts.note, deadline(opts)),
    create: (scope, input, opts = {}) => create(h, scope, input, deadline(opts)),
    listTools: (opts = {}) => toolSession.listTools({ deadline: deadline(opts) }),
    async listAll(scope, opts = {}) {
      const d = deadline(opts);
      return withFreshIds(h, scope, d, async (r) => (await tasksOf(h, r, d, true)).tasks);
    },
    edit: (id, change, scope, opts = {}) => edit(h, named(id, opts), change, scope, deadline(opts)),
    async remove(id, opts = {}) {
      await call(h, 'manage_task', { action: 'delete', ...named(id, opts) }, AnyData, deadline(opts));
    },
    claim: (id, claim, opts = {}) =>
      written(
        h,
        { action: 'claim', ...named(id, opts), claimant: claim.claimant, lease_seconds: claim.leaseSeconds },
        deadline(opts),
      ),
    release: (id, claimant, opts = {}) =>
      written(h, { action: 'release', ...named(id, opts), claimant }, deadline(opts)),
    async addNote(id, text, opts = {}) {
      const d = deadline(opts);
      await call(h, 'manage_task', { action: 'add_note', ...named(id, opts), note: text }, AnyData, d);
      return written(h, { action: 'get', ...named(id, opts) }, d);
    },
    addWorkRecord: (record, opts = {}) => sendWorkRecord(h, record, record.projectId, deadline(opts)),
    workRecords: (id, opts = {}) => taskWorkRecords(h, id, opts.project ?? '', deadline(opts)),
    recentWorkRecords: (scope, ask, opts = {}) => recentWork(h, scope, ask, deadline(opts)),
    close: () => toolSession.close(),
  };
}
