// The task store's public shapes: what openTaskDb hands the tool families, the resource and the CLI.
import type { Db } from '../sqlite/index.js';
import type { StoredFields, TaskFieldName } from '../tasks/fields.js';
import type { TaskPriority, TaskStatus } from '../tasks/task.js';
import type { BackupInfo, BackupReason } from './tasks-db/backups.js';
import type { ChangeListener } from './connection.js';
import type { Recovery } from './tasks-db/recover.js';
import type { StoreExport } from './transfer-schema.js';
import type { RequestLedger } from './requests.js';
import type { WorkRecordOps } from './work-records.js';

export interface Project {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface GitBranch {
  id: string;
  projectId: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

/** A task as the store keeps it; the plain fields (`src/tasks/fields.ts`) follow from their declaration. */
export interface TaskRecord extends StoredFields {
  id: string;
  projectId: string;
  gitBranchId: string | null;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  assignees: string[];
  labels: string[];
  dependencies: string[];
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  completionSummary: string | null;
  /** Moves on with every write of the task: an update or claim that names a version is refused once it is stale. */
  version: number;
  /** Who holds the task's claim, while its lease lasts (an expired claim is still shown until someone takes it). */
  claimedBy: string | null;
  claimExpiresAt: string | null;
}

/** A note on a task: who wrote it (empty when unknown) and when. */
export interface TaskNote {
  id: number;
  taskId: string;
  author: string;
  text: string;
  createdAt: string;
}

/** A task by its key: ids are counted per project, so two projects may each hold `TASK-001`. */
export interface TaskKey {
  projectId: string;
  id: string;
}

/**
 * How a caller names a task: by its key, or by id alone where the id is held by one project only (a store call with
 * an id that several projects hold is refused, naming them: pass the key).
 */
export type TaskRef = string | TaskKey;

export interface ClaimRequest {
  taskId: TaskRef;
  claimant: string;
  leaseSeconds: number;
  /** Compare-and-set: the claim is refused when the task's version is not this one. */
  version?: number;
  /** Becomes the task's only assignee when it has none, in the claim's own write. */
  assignee?: string;
}

/** A task to create; a plain field left out is stored empty, as is one given as '' or null. */
export interface NewTask extends Partial<StoredFields> {
  /** Given by batch imports (add_task); otherwise the next `TASK-NNN` of the project. */
  id?: string;
  projectId: string;
  gitBranchId?: string | null;
  title: string;
  description?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
  assignees?: string[];
  labels?: string[];
  dependencies?: string[];
}

export type TaskPatch = Partial<
  Pick<
    TaskRecord,
    | 'title'
    | 'description'
    | 'status'
    | 'priority'
    | 'assignees'
    | 'labels'
    | 'dependencies'
    | 'completionSummary'
    | 'gitBranchId'
    | TaskFieldName
  >
>;

export type SortKey = 'created_at' | 'updated_at' | 'priority' | 'status' | 'title';
export const SORT_KEYS: readonly SortKey[] = ['created_at', 'updated_at', 'priority', 'status', 'title'];

/** What a listing names: a git branch by id, else a project by id or name. */
export interface ScopeNames {
  gitBranchId?: string | undefined;
  project?: string | undefined;
}

export interface ListingScope {
  /** The change sequence of the project named (directly or by its branch); absent when none is. */
  sequence?: number;
  branch?: GitBranch;
  project?: Project;
}

export interface TaskFilter {
  projectId?: string;
  /** A branch's tasks: its own and its project's tasks on no branch, which every branch of the project lists. */
  gitBranchId?: string;
  statuses?: TaskStatus[];
  priorities?: TaskPriority[];
  assignees?: string[];
  labels?: string[];
  query?: string;
  limit?: number;
  offset?: number;
  sortBy?: SortKey;
  sortOrder?: 'asc' | 'desc';
}

export interface NextResult {
  task: TaskRecord | null;
  /** Open tasks passed over because a dependency is not done yet. */
  waitingOnDependencies: number;
}

/**
 * What changed in a listing since a sequence: the tasks written since that match it, and the ids of those deleted or
 * no longer matching (moved to another branch, another status). `full` when the store cannot tell (the sequence is
 * older than the tombstones it keeps, or newer than the store's: another store): read the whole list instead.
 */
export type TaskDelta =
  | { full: false; sequence: number; tasks: TaskRecord[]; deletedIds: string[] }
  | { full: true; why: string };

export interface Reservation {
  reservationId: string;
  reservedIds: string[];
  expiresAt: string;
}

export interface ImportOptions {
  /** Add to a store that has tasks already; without it the store must be empty. */
  merge?: boolean;
  /** Replace records that differ from the file's; without it any difference imports nothing. */
  overwrite?: boolean;
  /** Work out what would happen and change nothing. */
  dryRun?: boolean;
}

export interface ImportReport {
  added: Record<
    'projects' | 'branches' | 'tasks' | 'reservations' | 'idCounters' | 'notes' | 'workRecords' | 'repositories',
    number
  >;
  unchanged: number;
  /** Records here the file would replace (same id, other content), e.g. "task TASK-003 (title, status)". */
  overwrites: string[];
  /** Conflicts no flag resolves, e.g. a project name another project has here. */
  clashes: string[];
  /** What the file holds that this store has no place for, and why (a PostgreSQL store keeps no repositories). */
  notKept: string[];
  /** Whether the store was changed. */
  applied: boolean;
}

/** A repository recorded in the store: its identity, project, first commit and where it was last seen, when known. */
export interface KnownRepository {
  repository: string;
  project: string;
  firstCommit?: string;
  /** Its git common dir. */
  seenIn?: string;
}

export interface RepositorySighting {
  /** Its origin normalised, else its first commit's key. */
  repository: string;
  folder: string;
  /** Its first commit's key, unless git could not say. */
  firstCommit?: string;
  /** Its git common dir. */
  seenIn: string;
  /** Whether `other`, recorded with the same first commit, is another repository still where it was seen. */
  isOther(other: Required<KnownRepository>): boolean;
}

export interface TaskDb extends RequestLedger, WorkRecordOps {
  readonly file: string;
  /** The open database: a new one after the store was restored, so never keep it across calls. */
  readonly db: Db;
  /** What opening the store restored from a backup, if it had to. */
  readonly recovered: Recovery | undefined;
  createProject(input: { name: string; description?: string }): Project;
  getProject(idOrName: string): Project | undefined;
  /** The project with this name, created when missing: how a scope's project becomes one. */
  ensureProject(name: string): Project;
  /** The project named so, created (with the description) when missing; `created` says which. */
  getOrCreateProject(input: { name: string; description?: string }): { project: Project; created: boolean };
  listProjects(): Project[];
  updateProject(id: string, patch: { name?: string; description?: string }): Project;
  /** What the store knows of the repository with this identity (src/git/identity.ts), when it was seen before. */
  knownRepository(repository: string): KnownRepository | undefined;
  /**
   * The project of the repository seen, recorded with its first commit and where it was seen: the project it had
   * (by its origin, or, without one, by the origin last seen in the same place), else the project its first commit
   * belongs to unless `isOther` says a repository recorded with that commit is another one still there (a fork: then
   * `forkOf` names it), else `folder` (the name a folder-named project of an earlier release has, which it thereby
   * joins), numbered when another repository has it.
   */
  projectOfRepository(sighting: RepositorySighting): { name: string; forkOf?: Required<KnownRepository> };
  createBranch(input: { projectId: string; name: string; description?: string }): GitBranch;
  getBranch(id: string): GitBranch | undefined;
  findBranch(projectId: string, name: string): GitBranch | undefined;
  ensureBranch(projectId: string, name: string): GitBranch;
  getOrCreateBranch(input: { projectId: string; name: string; description?: string }): {
    branch: GitBranch;
    created: boolean;
  };
  listBranches(projectId: string): GitBranch[];
  updateBranch(id: string, patch: { name?: string; description?: string }): GitBranch;
  deleteBranch(id: string): void;
  createTask(input: NewTask): TaskRecord;
  /** Creates every task or none. */
  createTasks(inputs: NewTask[]): TaskRecord[];
  getTask(ref: TaskRef): TaskRecord | undefined;
  /** The projects holding a task with this id, by name: one, several (each counts its own ids) or none. */
  taskProjects(id: string): Project[];
  /** With `expectedVersion`, refused (CONFLICT) when the task has moved on since that version was read. */
  updateTask(ref: TaskRef, patch: TaskPatch, expectedVersion?: number): TaskRecord;
  /** Takes or renews the task's claim: refused (CLAIMED) while another claimant's lease lasts. */
  claimTask(request: ClaimRequest): TaskRecord;
  /** Gives the claim up; refused (CLAIMED) when another claimant holds it, a no-op when no one does. */
  releaseTask(ref: TaskRef, claimant: string): TaskRecord;
  addNote(ref: TaskRef, text: string, author?: string): TaskNote;
  /** The task's notes, oldest first. */
  listNotes(ref: TaskRef): TaskNote[];
  /** Changes the status, refusing transitions out of a closed status other than reopening. */
  setStatus(ref: TaskRef, status: TaskStatus, completionSummary?: string): TaskRecord;
  deleteTask(ref: TaskRef): void;
  /** The dependency is a task of the same project: ids are counted per project. */
  addDependency(ref: TaskRef, dependencyId: string): TaskRecord;
  removeDependency(ref: TaskRef, dependencyId: string): TaskRecord;
  listTasks(filter?: TaskFilter): { tasks: TaskRecord[]; total: number };
  /**
   * The store's own change sequence: every committed write that changed tasks, a project or a branch moved it on.
   * It counts every project's writes, so it keys what the server keeps and is never sent to a client.
   */
  changeSequence(): number;
  /**
   * What a listing names and its project's change sequence, read together (one statement on PostgreSQL: a list
   * call's only round trip when its answer is kept): the git branch by id, else the project by id or name; absent
   * when not found.
   */
  listingScope(names: ScopeNames): ListingScope;
  /**
   * What changed in the listing `filter` names (paging aside) after its project's sequence `since`; see TaskDelta.
   * A filter naming no project or branch is answered `full`.
   */
  changesSince(filter: TaskFilter, since: number): TaskDelta;
  /** The most urgent actionable task: priority, then in progress before todo, then oldest; every dependency done. */
  nextTask(scope?: { projectId?: string; gitBranchId?: string; statuses?: TaskStatus[] }): NextResult;
  countTasks(): number;
  /** Hands out the next id of `type` in the project (`US-028` after 27); never the same one twice. */
  nextId(projectId: string, type: string): string;
  reserveIds(projectId: string, type: string, count: number, ttlMs?: number): Reservation;
  /** How many committed writes have changed the store: a copy taken at the same generation holds the same data. */
  generation(): number;
  /** A checked online copy of the store in `dir` (see takeBackup); the store stays usable throughout. */
  backup(dir: string, reason: BackupReason): Promise<BackupInfo>;
  /** Every project, branch, task, id counter and reservation, as one moment of the store. */
  exportData(): StoreExport;
  /** Imports an export (see ImportOptions): all or nothing, and says what it did or would do. */
  importData(data: StoreExport, options?: ImportOptions): ImportReport;
  /** Hears of every committed write that changed a project's tasks or branches; returns the undo. */
  onChange(listener: ChangeListener): () => void;
  close(): void;
}
