import type { Task, TaskPriority, TaskStatus } from '../tasks/task.js';
import type { Scope } from '../tasks/scope.js';
import { deadlineIn, type Deadline } from '../util/deadline.js';
import type { SourceAdapter } from './plan.js';

export type { Scope } from '../tasks/scope.js';

export interface SourceCallOptions {
  /** The whole operation (several tool calls, perhaps a connect) must finish by then; source.timeoutMs from now by default. */
  deadline?: Deadline | undefined;
}

/** The caller's deadline, else one `defaultMs` (source.timeoutMs) from now. */
export const deadlineOf = (opts: SourceCallOptions, defaultMs: number): Deadline => opts.deadline ?? deadlineIn(defaultMs);

export interface PendingResult {
  tasks: Task[];
  /** Something the reader must be told, e.g. that the branch is not registered and project tasks are shown. */
  note?: string;
  /** The server's own account of the work, shown as it words it: what a generic source gives without task fields. */
  text?: string;
  /** The next task, when reading the pending ones told it already: no second call is made for it. */
  next?: Task | null;
}

export interface NewTaskInput {
  title: string;
  description?: string | undefined;
  details?: string | undefined;
  priority?: TaskPriority | undefined;
  labels?: string[] | undefined;
}

export interface StatusChange {
  /** Completion summary or reason, when the server keeps one. */
  note?: string | undefined;
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
  get(id: string, opts?: SourceCallOptions): Promise<Task>;
  setStatus(id: string, status: TaskStatus, opts?: SourceCallOptions & StatusChange): Promise<Task>;
  create(scope: Scope, input: NewTaskInput, opts?: SourceCallOptions): Promise<Task>;
  listTools(opts?: SourceCallOptions): Promise<string[]>;
  close(): Promise<void>;
}
