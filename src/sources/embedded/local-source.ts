// The built-in store as a TaskSource answered from a connection in this process: each change is the one manage_task
// makes for what the agenthub reader sends (../agenthub/source.ts), through the same rules
// (src/server/agenthub/task-rules.ts), so what the CLI does to the store is what Claude's tool call would have done.
import type { StoreWrites } from '../../store/tasks-db/writer.js';
import { addTaskAt, claimTaskAs, finishTask, plainFieldsOf, updateTaskAs } from '../../server/agenthub/task-rules.js';
import { LOCAL_PRINCIPAL, personOf } from '../../server/principal.js';
import { COMPLETED_NOTE, notesWithStatusNote } from '../../tasks/rules.js';
import type { Scope } from '../../tasks/scope.js';
import type { Task, TaskStatus } from '../../tasks/task.js';
import type { NewTaskInput, TaskEdit, TaskSource } from '../source.js';
import type { TaskRef } from '../../store/index.js';
import { noSuch } from '../../store/errors.js';
import { listing, next, single, taskIn } from './local-read.js';
import { refusal } from './refusal.js';

/** The id of `scope`'s project, made when missing. */
function ensureProject(db: StoreWrites, scope: Scope): string {
  return db.getOrCreateProject({ name: scope.project, description: scope.projectRoot }).project.id;
}

/** The id of `scope`'s branch `name`, its project and branch made when missing, as the agenthub reader's writes do. */
function ensureBranch(db: StoreWrites, scope: Scope, name: string): string {
  return db.getOrCreateBranch({ projectId: ensureProject(db, scope), name, description: '' }).branch.id;
}

function written(db: StoreWrites, ref: TaskRef): Task {
  const task = single(db, ref);
  if (!task) throw noSuch('Task', typeof ref === 'string' ? ref : ref.id);
  return task;
}

/** The author of a local write: like the store server's other local callers, it has no name to give. */
const PERSON = personOf(LOCAL_PRINCIPAL);

async function setStatus(db: StoreWrites, id: TaskRef, status: TaskStatus, note: string | undefined): Promise<Task> {
  if (status === 'done') await finishTask(db, id, { summary: note ?? COMPLETED_NOTE });
  else {
    const details = note ? notesWithStatusNote(db.getTask(id)?.details, status, note) : undefined;
    await updateTaskAs(db, PERSON, { id, patch: { status, ...(details ? { details } : {}) } });
  }
  return written(db, id);
}

/** A task for every branch of the scope's project, or (onBranch) for its branch alone, as the model's add_task. */
async function create(db: StoreWrites, scope: Scope, input: NewTaskInput): Promise<Task> {
  const branch = input.onBranch ? scope.branch || 'main' : undefined;
  const place = branch ? { branchId: ensureBranch(db, scope, branch) } : { project: ensureProject(db, scope) };
  const record = await addTaskAt(db, place, input);
  const task = written(db, { projectId: record.projectId, id: record.id });
  return branch ? { ...task, branch } : task;
}

async function edit(db: StoreWrites, id: TaskRef, change: TaskEdit, scope: Scope): Promise<Task> {
  await updateTaskAs(db, PERSON, {
    id,
    patch: {
      ...plainFieldsOf(change),
      ...(change.title !== undefined ? { title: change.title } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.priority !== undefined ? { priority: change.priority } : {}),
    },
    branchId: change.branch !== undefined ? ensureBranch(db, scope, change.branch) : undefined,
  });
  return written(db, id);
}

/**
 * The store as a TaskSource, each call answered at once from `db` (`server` is the name the answers give); an id is
 * the task of `project` (the command's) when that project holds it, as ids are counted per project.
 */
export function localSource(db: StoreWrites, server: string, project: string): TaskSource {
  const ref = (id: string): TaskRef => taskIn(db, project, id);
  const run = async <T>(what: string, fn: () => T | Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw refusal(err, what, server);
    }
  };
  return {
    adapter: 'agenthub',
    requiredTools: [],
    server: () => server,
    pending: (scope) => run('list', () => listing(db, scope, false)),
    next: (scope) => run('next', () => next(db, scope)),
    get: (id) => run('get', () => written(db, ref(id))),
    projectOf: (id) =>
      run('get', () => {
        const projectId = written(db, ref(id)) && db.getTask(ref(id))?.projectId;
        return db.listProjects().find((p) => p.id === projectId)?.name;
      }),
    setStatus: (id, status, opts = {}) =>
      run(status === 'done' ? 'complete' : 'update', () => setStatus(db, ref(id), status, opts.note)),
    create: (scope, input) => run('create', () => create(db, scope, input)),
    listTools: () => Promise.resolve([]),
    listAll: (scope) => run('list', () => listing(db, scope, true).tasks),
    edit: (id, change, scope) => run('update', () => edit(db, ref(id), change, scope)),
    remove: (id) => run('delete', () => db.deleteTask(ref(id))),
    addNote: (id, text) =>
      run('add_note', () => {
        const task = ref(id);
        db.addNote(task, text, '');
        return written(db, task);
      }),
    claim: (id, claim) =>
      run('claim', async () => {
        const task = ref(id);
        await claimTaskAs(db, PERSON, { taskId: task, claimant: claim.claimant, leaseSeconds: claim.leaseSeconds });
        return written(db, task);
      }),
    release: (id, claimant) =>
      run('release', () => {
        const task = ref(id);
        db.releaseTask(task, claimant);
        return written(db, task);
      }),
    close: () => Promise.resolve(),
  };
}
