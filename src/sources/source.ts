import type { TaskFieldValues } from '../tasks/fields.js';
import type { Task, TaskPriority, TaskStatus } from '../tasks/task.js';
import type { DeltaCursor, FullListNeeded, TaskChanges } from '../tasks/delta.js';
import type { Scope } from '../tasks/scope.js';
import type { NewTaskInput } from '../tasks/new-task.js';
import { deadlineIn, type Deadline } from '../util/deadline.js';
import type { SourceAdapter } from './plan.js';
import { TaskSourceError } from '../errors/task-source.js';
import type { WorkRecord } from '../store/work-records.js';

export type { Scope } from '../tasks/scope.js';

export interface SourceCallOptions {
  /** The whole operation (several tool calls, perhaps a connect) must finish by then; source.timeoutMs from now by default. */
  deadline?: Deadline | undefined;
  /**
   * The project the caller works in, by name: a server that counts task ids per project (agenthub, whose projects may
   * each hold TASK-001) reads an id as this project's task. Other sources' ids name one task anyway.
   */
  project?: string | undefined;
}

/** `source` with every call that names a task by id made from `project` (see SourceCallOptions.project). */
export function inProject(source: TaskSource, project: string): TaskSource {
  const at = <O extends SourceCallOptions>(opts: O | undefined): O => ({ ...opts, project }) as O;
  const { projectOf, edit, remove, addNote, claim, release, workRecords } = source;
  return {
    ...source,
    get: (id, opts) => source.get(id, at(opts)),
    setStatus: (id, status, opts) => source.setStatus(id, status, at(opts)),
    ...(projectOf && { projectOf: (id, opts) => projectOf.call(source, id, at(opts)) }),
    ...(edit && { edit: (id, change, scope, opts) => edit.call(source, id, change, scope, at(opts)) }),
    ...(remove && { remove: (id, opts) => remove.call(source, id, at(opts)) }),
    ...(addNote && { addNote: (id, text, opts) => addNote.call(source, id, text, at(opts)) }),
    ...(claim && { claim: (id, c, opts) => claim.call(source, id, c, at(opts)) }),
    ...(release && { release: (id, claimant, opts) => release.call(source, id, claimant, at(opts)) }),
    ...(workRecords && { workRecords: (id, opts) => workRecords.call(source, id, at(opts)) }),
  };
}

/** The caller's deadline, else one `defaultMs` (source.timeoutMs) from now. */
export const deadlineOf = (opts: SourceCallOptions, defaultMs: number): Deadline =>
  opts.deadline ?? deadlineIn(defaultMs);

export interface PendingResult {
  tasks: Task[];
  /** Something the reader must be told, e.g. that no task is tied to the branch and every branch's tasks are shown. */
  note?: string;
  /** The server's own account of the work, shown as it words it: what a generic source gives without task fields. */
  text?: string;
  /** The next task, when reading the pending ones told it already: no second call is made for it. */
  next?: Task | null;
  /** Where the listing stood, from a server that numbers its changes: `pendingSince` asks what changed after it. */
  cursor?: DeltaCursor;
}

/** A new task, as every way of adding one checks it (src/tasks/new-task.ts). */
export type { NewTaskInput } from '../tasks/new-task.js';

export interface StatusChange {
  /** Completion summary or reason, when the server keeps one. */
  note?: string | undefined;
}

/** What `tasks edit` changes; `branch` moves the task to that branch of its project (made when missing). */
export interface TaskEdit extends TaskFieldValues {
  title?: string | undefined;
  description?: string | undefined;
  priority?: TaskPriority | undefined;
  branch?: string | undefined;
}

/** One task server, whatever tools it speaks, in the normalised Task shape. */
export interface TaskSource {
  readonly adapter: SourceAdapter;
  /** The tools the adapter relies on (doctor checks that the server offers them). */
  readonly requiredTools: readonly string[];
  /** The server that answered last (a failover URL, `stdio:…`, `embedded`). */
  server(): string;
  pending(scope: Scope, opts?: SourceCallOptions): Promise<PendingResult>;
  next(scope: Scope, opts?: SourceCallOptions): Promise<Task | null>;
  /** What changed in `scope`'s listing after `since` (a cursor `pending` gave), or that it must be read whole. */
  pendingSince?(scope: Scope, since: DeltaCursor, opts?: SourceCallOptions): Promise<TaskChanges | FullListNeeded>;
  get(id: string, opts?: SourceCallOptions): Promise<Task>;
  /**
   * The name of the project task `id` belongs to, where one server's ids span projects (the embedded store, agenthub):
   * a command in one project must not act on another's task unasked.
   */
  projectOf?(id: string, opts?: SourceCallOptions): Promise<string | undefined>;
  setStatus(id: string, status: TaskStatus, opts?: SourceCallOptions & StatusChange): Promise<Task>;
  create(scope: Scope, input: NewTaskInput, opts?: SourceCallOptions): Promise<Task>;
  listTools(opts?: SourceCallOptions): Promise<string[]>;
  // What a person does with tasks beyond their status. A source without one of these cannot do it: the CLI and the
  // dashboard say so in one line, naming the source.
  /** Every task of the scope, finished ones too, most urgent first. */
  listAll?(scope: Scope, opts?: SourceCallOptions): Promise<Task[]>;
  edit?(id: string, edit: TaskEdit, scope: Scope, opts?: SourceCallOptions): Promise<Task>;
  remove?(id: string, opts?: SourceCallOptions): Promise<void>;
  addNote?(id: string, text: string, opts?: SourceCallOptions): Promise<Task>;
  /** Takes the server's claim on a task for `leaseSeconds` (a team's server says who works on what across machines). */
  claim?(id: string, claim: { claimant: string; leaseSeconds: number }, opts?: SourceCallOptions): Promise<Task>;
  /** Gives the claimant's claim back before its lease ends. */
  release?(id: string, claimant: string, opts?: SourceCallOptions): Promise<Task>;
  // Work records on a server that keeps them with the tasks (a team's server; src/store/work-records.ts).
  /** Keeps a session's record with its task, in the record's project (by name). */
  addWorkRecord?(record: WorkRecord, opts?: SourceCallOptions): Promise<void>;
  /** The task's records, newest first. */
  workRecords?(id: string, opts?: SourceCallOptions): Promise<WorkRecord[]>;
  /** What a session starting in `scope` is told of: its branch's records and those of `taskIds`, newest first. */
  recentWorkRecords?(
    scope: Scope,
    ask: { taskIds: readonly string[]; limit: number },
    opts?: SourceCallOptions,
  ): Promise<WorkRecord[]>;
  close(): Promise<void>;
}

type Optional = 'listAll' | 'edit' | 'remove' | 'addNote' | 'claim' | 'release';

/** The source's optional operation, or a one-line refusal naming the source: what the CLI and the dashboard say. */
export function operation<K extends Optional>(source: TaskSource, name: K, what: string): NonNullable<TaskSource[K]> {
  const op = source[name];
  if (!op) {
    throw new TaskSourceError(
      'config',
      `the ${source.adapter} task source (${source.server()}) cannot ${what}: use its own tools`,
      {
        short: `cannot ${what}`,
        place: source.server(),
      },
    );
  }
  return op.bind(source) as NonNullable<TaskSource[K]>;
}
