// The embedded store read in this process by a command that only reads (`taskhooks tasks list`, `next`, `show`): no MCP
// SDK, task server or cache loaded, and the answer the agenthub reader makes of what the store's server sends
// (../agenthub/reading.ts holds the rules both follow). Undefined where the store needs the full open (missing, another
// schema version).
import type { SnapshotKey, TaskSnapshot } from '../../cache/snapshots.js';
import { loadTokenFormats, scrubData } from '../../log/redact.js';
import { taskJson } from '../../server/agenthub/json.js';
import type { GitBranch, TaskRef, WorkRecord } from '../../store/index.js';
import { commandFailure } from '../../errors/command.js';
import { noSuch } from '../../store/errors.js';
import { readStore, type StoreReads } from '../../store/tasks-db/reader.js';
import type { Scope } from '../../tasks/scope.js';
import type { Task } from '../../tasks/task.js';
import { LIST_PAGE, MAX_LIST_PAGES, pendingOf, projectWideNote, taskOf } from '../agenthub/reading.js';
import { firstTaskNote } from './notes.js';
import { refusal } from './refusal.js';

/**
 * The scope's snapshot as a refresh through the store's server makes it (pending tasks, the next task, the note), read
 * here in one read transaction, named for `server` and scrubbed of secrets (the token formats loaded when it may hold
 * one); undefined where the store needs the full open.
 */
export async function readLocalSnapshot(
  file: string,
  key: SnapshotKey,
  scope: Scope,
  server: string,
): Promise<TaskSnapshot | undefined> {
  const raw = readStore(file, (reads) => scopeSnapshot(reads, key, scope, server));
  if (!raw) return undefined;
  await loadTokenFormats(raw);
  return scrubData(raw);
}

/** The snapshot of `key` (read as `scope`) from reads of an open store, named for `server`, as the cache keeps one. */
export function scopeSnapshot(reads: StoreReads, key: SnapshotKey, scope: Scope, server: string): TaskSnapshot {
  const { tasks, note } = listing(reads, scope, false);
  const first = next(reads, scope);
  return { ...key, fetchedAt: Date.now(), source: server, tasks, next: first, ...(note ? { note } : {}) };
}

export interface LocalListing {
  tasks: Task[];
  note?: string;
}

/**
 * The scope's pending tasks (every task with `all`) as `TaskSource.pending` (`listAll`) answers them: the scope's
 * branch with its project's tasks on no branch, or the whole project with a note when the store does not know the
 * branch, read as far as a served read pages, sorted, and registered secrets removed.
 */
export function readLocalTasks(file: string, scope: Scope, { all }: { all: boolean }): LocalListing | undefined {
  return readStore(file, (reads) => scrubData(listing(reads, scope, all)));
}

/** The scope's next task as `TaskSource.next` answers it (null: none). */
export function readLocalNext(file: string, scope: Scope): { next: Task | null } | undefined {
  return readStore(file, (reads) => ({ next: scrubData(next(reads, scope)) }));
}

/**
 * One task with its notes and its branch's name, as `TaskSource.get` answers it, and the name of its project (as
 * `TaskSource.projectOf`), so a command can refuse another project's task; or the failure the served read gives an id
 * no project holds, as the command prints it. The id is looked for in `project` (the command's) first: ids are
 * counted per project.
 */
export function readLocalTask(
  file: string,
  id: string,
  here: string,
): { task: Task; project: string | undefined } | { missing: unknown } | undefined {
  return readStore(file, (reads) => {
    const ref = taskIn(reads, here, id);
    const task = single(reads, ref);
    if (!task) return { missing: commandFailure(refusal(noSuch('Task', id), 'get', undefined)) };
    const projectId = reads.getTask(ref)?.projectId;
    const project = reads.listProjects().find((p) => p.id === projectId)?.name;
    return { task: scrubData(task), project };
  });
}

/**
 * The work records of task `id` (looked for in `project` first, as readLocalTask does), newest first and scrubbed of
 * registered secrets; empty for an id the store does not hold.
 */
export function readLocalWork(file: string, id: string, project: string): WorkRecord[] | undefined {
  return readStore(file, (reads) => {
    const record = reads.getTask(taskIn(reads, project, id));
    return record ? scrubData(reads.listWorkRecords({ projectId: record.projectId, id: record.id })) : [];
  });
}

/**
 * What a scope reads: its branch when the store knows it, else its whole project (one query either way, a branch's
 * holding its project's tasks on no branch); undefined for a project the store does not know.
 */
function resolve(reads: StoreReads, scope: Scope): { project: string; match: GitBranch | undefined } | undefined {
  const project = reads.listProjects().find((p) => p.name === scope.project);
  if (!project) return undefined;
  const match = scope.branch ? reads.listBranches(project.id).find((b) => b.name === scope.branch) : undefined;
  return { project: project.id, match };
}

function tasksOf(reads: StoreReads, r: { project: string; match: GitBranch | undefined }): Task[] {
  const names = new Map(reads.listBranches(r.project).map((b) => [b.id, b.name]));
  const filter = r.match ? { gitBranchId: r.match.id } : { projectId: r.project };
  return reads.listTasks({ ...filter, limit: LIST_PAGE * MAX_LIST_PAGES }).tasks.map((record) => {
    const task = taskOf(taskJson(record), { notes: false });
    const name = record.gitBranchId ? names.get(record.gitBranchId) : undefined;
    return name ? { ...task, branch: name } : task;
  });
}

/**
 * The scope's pending (`all`: every) tasks as a listing answers them, from reads of an open store. On a branch no task
 * is tied to, the note says that other branches' tasks are among them, when they are: a project whose tasks are all
 * for every branch reads alike on each.
 */
export function listing(reads: StoreReads, scope: Scope, all: boolean): LocalListing {
  const r = resolve(reads, scope);
  if (!r) return all ? { tasks: [] } : { tasks: [], note: firstTaskNote(scope.project) };
  const tasks = pendingOf(tasksOf(reads, r), all);
  const others = !r.match && !all && tasks.some((t) => !t.projectTask);
  return others ? { tasks, note: projectWideNote(scope.project, scope.branch) } : { tasks };
}

/** The scope's next task, from reads of an open store. */
export function next(reads: StoreReads, scope: Scope): Task | null {
  const r = resolve(reads, scope);
  if (!r) return null;
  if (!r.match) return pendingOf(tasksOf(reads, r)).find((t) => t.status !== 'blocked') ?? null;
  const { task } = reads.nextTask({ gitBranchId: r.match.id });
  if (!task) return null;
  const found = taskOf(taskJson(task), { notes: true });
  // The branch asked for is the branch the answer is on: its name is the scope's.
  return found.branchId === r.match.id ? { ...found, branch: scope.branch } : found;
}

/**
 * How a command in `project` names the task `id`: that project's, when it holds one; else the id alone, which the
 * store answers when one project holds it (and the command then refuses as another project's).
 */
export function taskIn(reads: Pick<StoreReads, 'listProjects' | 'getTask'>, project: string, id: string): TaskRef {
  const here = reads.listProjects().find((p) => p.name === project);
  return here && reads.getTask({ projectId: here.id, id }) ? { projectId: here.id, id } : id;
}

/** One task with its notes and its branch's name, from reads of an open store. */
export function single(reads: StoreReads, ref: TaskRef): Task | undefined {
  const record = reads.getTask(ref);
  if (!record) return undefined;
  const notes = reads.listNotes(record).map((n) => ({ text: n.text, author: n.author }));
  const task = taskOf({ ...taskJson(record), notes }, { notes: true });
  const branch = record.gitBranchId ? reads.getBranch(record.gitBranchId) : undefined;
  return branch ? { ...task, branch: branch.name } : task;
}
