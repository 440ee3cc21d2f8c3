// Export and import of the whole store: rows as they are (ids, timestamps, counters), in the order the store keeps
// them. An import fills an empty store, or merges: what is missing is added, what is identical is left, and what
// differs is replaced only when asked; a clash nothing can resolve (a name taken by another record) imports nothing.
// A note is known by all it says (the store never edits one), so a merge only ever adds notes.
import { invalid } from './errors.js';
import type { Connection } from './connection.js';
import { setLastAssigned } from './ids.js';
import { EXPORT_FORMAT, EXPORT_VERSION } from './transfer-format.js';
import type {
  ExportedIdCounter,
  ExportedNote,
  ExportedRepository,
  ExportedReservation,
  StoreExport,
} from './transfer-schema.js';
import { fieldColumns, NEW_TASK_COLUMNS, toTask, type TaskRow } from './rows.js';
import type { GitBranch, ImportOptions, ImportReport, Project, TaskRecord } from './types.js';
import { toRecord, WORK_COLUMNS, workRecordRow, type WorkRecord, type WorkRow } from './work-records.js';

export type Kind = 'projects' | 'branches' | 'tasks' | 'reservations' | 'notes' | 'workRecords' | 'repositories';
/** What a merge may replace: every kind but notes, which it only adds. */
export type Replaceable = Exclude<Kind, 'notes'>;
export const KINDS: readonly Kind[] = [
  'projects',
  'branches',
  'tasks',
  'reservations',
  'notes',
  'workRecords',
  'repositories',
];

const SELECT = {
  projects:
    'SELECT id, name, description, created_at AS createdAt, updated_at AS updatedAt FROM projects ORDER BY rowid',
  branches:
    'SELECT id, project_id AS projectId, name, description, created_at AS createdAt, updated_at AS updatedAt FROM git_branches ORDER BY rowid',
  idCounters:
    'SELECT project_id AS projectId, artifact_type AS artifactType, last_assigned AS lastAssigned FROM id_counters ORDER BY rowid',
  reservations:
    'SELECT id, project_id AS projectId, artifact_type AS artifactType, first_number AS firstNumber, count, created_at AS createdAt, expires_at AS expiresAt FROM id_reservations ORDER BY rowid',
  notes:
    'SELECT project_id AS projectId, task_id AS taskId, author, text, created_at AS createdAt FROM task_notes ORDER BY id',
  repositories:
    'SELECT repository, project, first_commit AS firstCommit, seen_in AS seenIn FROM project_repositories ORDER BY rowid',
};

export type ExportedTask = StoreExport['tasks'][number];
export type Row =
  | Project
  | GitBranch
  | ExportedTask
  | ExportedReservation
  | ExportedNote
  | WorkRecord
  | ExportedRepository;

/** The task as the export keeps it: claims and versions belong to the live store, not to a copy of its data. */
export function exportedTask(t: TaskRecord): ExportedTask {
  const { version: _version, claimedBy: _claimedBy, claimExpiresAt: _claimExpiresAt, ...rest } = t;
  return rest;
}

/** The columns an exported task is written back to, the id first. */
export const TASK_EXPORT_COLUMNS = [...NEW_TASK_COLUMNS, 'completion_summary'];

/** An exported task as a row by column (TASK_EXPORT_COLUMNS): the same for both engines. */
export function exportedTaskRow(t: ExportedTask): Record<string, unknown> {
  return {
    id: t.id,
    project_id: t.projectId,
    git_branch_id: t.gitBranchId,
    title: t.title,
    description: t.description,
    status: t.status,
    priority: t.priority,
    assignees: JSON.stringify(t.assignees),
    labels: JSON.stringify(t.labels),
    dependencies: JSON.stringify(t.dependencies),
    ...fieldColumns(t),
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    completed_at: t.completedAt,
    completion_summary: t.completionSummary,
  };
}

/** The work_records columns by name, and those of the key a session's record of a task is known by. */
export const WORK_COLUMN_LIST = WORK_COLUMNS.split(',').map((col) => col.trim());
export const WORK_KEY = ['project_id', 'task_id', 'session_id', 'started_at'];

type Values = (r: never) => Record<string, unknown>;
const NOTE_INSERT = {
  insert:
    'INSERT INTO task_notes (project_id, task_id, author, text, created_at) VALUES (@projectId, @taskId, @author, @text, @createdAt)',
  values: (n: ExportedNote) => ({ ...n }),
};

const UPSERT: Record<Replaceable, { insert: string; update: string; values: Values }> = {
  projects: {
    insert:
      'INSERT INTO projects (id, name, description, created_at, updated_at) VALUES (@id, @name, @description, @createdAt, @updatedAt)',
    update:
      'UPDATE projects SET name = @name, description = @description, created_at = @createdAt, updated_at = @updatedAt WHERE id = @id',
    values: (p: Project) => ({ ...p }),
  },
  branches: {
    insert:
      'INSERT INTO git_branches (id, project_id, name, description, created_at, updated_at) VALUES (@id, @projectId, @name, @description, @createdAt, @updatedAt)',
    update:
      'UPDATE git_branches SET project_id = @projectId, name = @name, description = @description, created_at = @createdAt, updated_at = @updatedAt WHERE id = @id',
    values: (b: GitBranch) => ({ ...b }),
  },
  tasks: {
    insert: `INSERT INTO tasks (${TASK_EXPORT_COLUMNS.join(', ')}) VALUES (${TASK_EXPORT_COLUMNS.map((col) => `@${col}`).join(', ')})`,
    update: `UPDATE tasks SET ${TASK_EXPORT_COLUMNS.slice(1)
      .map((col) => `${col} = @${col}`)
      .join(', ')} WHERE project_id = @project_id AND id = @id`,
    values: exportedTaskRow,
  },
  reservations: {
    insert:
      'INSERT INTO id_reservations (id, project_id, artifact_type, first_number, count, created_at, expires_at) VALUES (@id, @projectId, @artifactType, @firstNumber, @count, @createdAt, @expiresAt)',
    update:
      'UPDATE id_reservations SET project_id = @projectId, artifact_type = @artifactType, first_number = @firstNumber, count = @count, created_at = @createdAt, expires_at = @expiresAt WHERE id = @id',
    values: (r: ExportedReservation) => ({ ...r }),
  },
  workRecords: {
    insert: `INSERT INTO work_records (${WORK_COLUMN_LIST.join(', ')}) VALUES (${WORK_COLUMN_LIST.map((col) => `@${col}`).join(', ')})`,
    update: `UPDATE work_records SET ${WORK_COLUMN_LIST.filter((col) => !WORK_KEY.includes(col))
      .map((col) => `${col} = @${col}`)
      .join(', ')} WHERE ${WORK_KEY.map((col) => `${col} = @${col}`).join(' AND ')}`,
    values: workRecordRow,
  },
  repositories: {
    insert:
      'INSERT INTO project_repositories (repository, project, first_commit, seen_in) VALUES (@repository, @project, @firstCommit, @seenIn)',
    update:
      'UPDATE project_repositories SET project = @project, first_commit = @firstCommit, seen_in = @seenIn WHERE repository = @repository',
    values: (r: ExportedRepository) => ({ ...r }),
  },
};

export const SINGULAR: Record<Kind, string> = {
  projects: 'project',
  branches: 'git branch',
  tasks: 'task',
  reservations: 'reservation',
  notes: 'note',
  workRecords: 'work record',
  repositories: 'repository',
};

export type StoreRows = Omit<StoreExport, 'format' | 'version' | 'exportedAt'>;

function readAll(c: Connection): StoreRows {
  return {
    projects: c.statement(SELECT.projects).all() as Project[],
    branches: c.statement(SELECT.branches).all() as GitBranch[],
    tasks: (c.statement('SELECT * FROM tasks ORDER BY rowid').all() as TaskRow[]).map(toTask).map(exportedTask),
    idCounters: c.statement(SELECT.idCounters).all() as ExportedIdCounter[],
    reservations: c.statement(SELECT.reservations).all() as ExportedReservation[],
    notes: c.statement(SELECT.notes).all() as ExportedNote[],
    workRecords: (c.statement('SELECT * FROM work_records ORDER BY id').all() as WorkRow[]).map(toRecord),
    repositories: c.statement(SELECT.repositories).all() as ExportedRepository[],
  };
}

/** Every row of the store, read in one transaction so the file is one moment of it. */
export function exportStore(c: Connection): StoreExport {
  const rows = c.db.transaction(() => readAll(c)).deferred();
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date().toISOString(), ...rows };
}

/**
 * The fields in which two rows of one key differ. Where a repository was last seen is a path on the machine that saw
 * it: a merge keeps this machine's, and a file from another machine differs in nothing for that alone.
 */
function differing(kind: Kind, a: Row, b: Row): string[] {
  return Object.keys(a).filter(
    (k) =>
      !(kind === 'repositories' && k === 'seenIn') &&
      JSON.stringify((a as unknown as Record<string, unknown>)[k]) !==
        JSON.stringify((b as unknown as Record<string, unknown>)[k]),
  );
}

export interface Plan {
  report: ImportReport;
  adds: Array<[Kind, Row]>;
  updates: Array<[Replaceable, Row]>;
  counters: ExportedIdCounter[];
}

/**
 * A row's key: a task's is its project and id (each project counts its own ids), a note's all it says, a work
 * record's its task, session and start (as the table's), a repository's its identity, any other row's its id.
 */
function keyOf(kind: Kind, row: Row): string {
  const key = (...parts: string[]): string => parts.join('\0');
  switch (kind) {
    case 'tasks': {
      const t = row as ExportedTask;
      return key(t.projectId, t.id);
    }
    case 'notes': {
      const n = row as ExportedNote;
      return key(n.projectId, n.taskId, n.createdAt, n.author, n.text);
    }
    case 'workRecords': {
      const r = row as WorkRecord;
      return key(r.projectId, r.taskId, r.sessionId, r.startedAt);
    }
    case 'repositories':
      return (row as ExportedRepository).repository;
    default:
      return (row as Project | GitBranch | ExportedReservation).id;
  }
}

/** How a report names a row. */
function named(kind: Replaceable, row: Row): string {
  if (kind === 'workRecords') {
    const r = row as WorkRecord;
    return `work record of ${r.taskId} by session ${r.sessionId}`;
  }
  if (kind === 'repositories') return `repository ${(row as ExportedRepository).repository}`;
  return `${SINGULAR[kind]} ${(row as Project).id}`;
}

/** What importing `data` into a store holding `here` adds, replaces and refuses: the same for every engine. */
export function plan(data: StoreExport, here: StoreRows): Plan {
  const report: ImportReport = {
    added: {
      projects: 0,
      branches: 0,
      tasks: 0,
      reservations: 0,
      idCounters: 0,
      notes: 0,
      workRecords: 0,
      repositories: 0,
    },
    unchanged: 0,
    overwrites: [],
    clashes: clashes(data, here),
    notKept: [],
    applied: false,
  };
  const adds: Plan['adds'] = [];
  const updates: Plan['updates'] = [];
  for (const kind of KINDS) {
    const existing = new Map<string, Row>((here[kind] as Row[]).map((r) => [keyOf(kind, r), r]));
    for (const row of data[kind] as Row[]) {
      const mine = existing.get(keyOf(kind, row));
      if (!mine) {
        adds.push([kind, row]);
        report.added[kind]++;
      } else if (kind === 'notes' || differing(kind, mine, row).length === 0) report.unchanged++;
      else {
        updates.push([kind, row]);
        report.overwrites.push(`${named(kind, row)} (${differing(kind, mine, row).join(', ')})`);
      }
    }
  }
  const counters = new Map(here.idCounters.map((k) => [`${k.projectId}\0${k.artifactType}`, k.lastAssigned]));
  const raised = data.idCounters.filter(
    (k) => (counters.get(`${k.projectId}\0${k.artifactType}`) ?? -1) < k.lastAssigned,
  );
  report.added.idCounters = raised.length;
  report.unchanged += data.idCounters.length - raised.length;
  return { report, adds, updates, counters: raised };
}

/** Why the file cannot go into this store: a name held by another id, or a row whose parent is in neither. */
function clashes(data: StoreExport, here: StoreRows): string[] {
  const found: string[] = [];
  const projectNames = new Map(here.projects.map((p) => [p.name, p.id]));
  for (const p of data.projects) {
    const holder = projectNames.get(p.name);
    if (holder && holder !== p.id)
      found.push(`project name "${p.name}" belongs to project ${holder} here, to ${p.id} in the file`);
  }
  const branchNames = new Map(here.branches.map((b) => [`${b.projectId}\0${b.name}`, b.id]));
  for (const b of data.branches) {
    const holder = branchNames.get(`${b.projectId}\0${b.name}`);
    if (holder && holder !== b.id)
      found.push(`git branch "${b.name}" of project ${b.projectId} is ${holder} here, ${b.id} in the file`);
  }
  const projects = new Set([...here.projects, ...data.projects].map((x) => x.id));
  const branches = new Set([...here.branches, ...data.branches].map((x) => x.id));
  for (const row of [...data.branches, ...data.tasks]) {
    if (!projects.has(row.projectId))
      found.push(`${row.id} belongs to project ${row.projectId}, which is neither in the file nor here`);
  }
  for (const t of data.tasks) {
    if (t.gitBranchId !== null && !branches.has(t.gitBranchId))
      found.push(`task ${t.id} is on git branch ${t.gitBranchId}, which is neither in the file nor here`);
  }
  const tasks = new Set([...here.tasks, ...data.tasks].map((t) => keyOf('tasks', t)));
  for (const [kind, rows] of [
    ['note', data.notes],
    ['work record', data.workRecords],
  ] as const) {
    for (const r of rows) {
      if (!tasks.has(`${r.projectId}\0${r.taskId}`))
        found.push(`a ${kind} of task ${r.taskId} of project ${r.projectId}, which is neither in the file nor here`);
    }
  }
  return found;
}

/**
 * What importing `data` over `here` would do, and whether to do it: refused outright when the store is not empty and
 * the import does not merge; not applied on a dry run, a clash, or an overwrite not asked for. Repositories seen do
 * not make a store full: a session in a new home records its repository before any task is imported.
 */
export function planImport(data: StoreExport, here: StoreRows, options: ImportOptions): Plan & { apply: boolean } {
  const filled = here.projects.length + here.tasks.length + here.idCounters.length + here.reservations.length;
  if (!options.merge && filled > 0) {
    throw invalid(
      `the task store is not empty (${here.projects.length} projects, ${here.tasks.length} tasks): an import fills only an empty store unless it merges`,
    );
  }
  const p = plan(data, here);
  const apply = !(
    options.dryRun ||
    p.report.clashes.length > 0 ||
    (p.report.overwrites.length > 0 && !options.overwrite)
  );
  return { ...p, apply };
}

/** What an imported row changes as readers see the store: a project's tasks (these ones), or its branches. */
export function changeOf(kind: Kind, row: Row): { projectId: string; taskIds?: string[] } | undefined {
  switch (kind) {
    case 'projects':
      return { projectId: (row as Project).id };
    case 'branches':
      return { projectId: (row as GitBranch).projectId };
    case 'tasks':
      return { projectId: (row as ExportedTask).projectId, taskIds: [(row as ExportedTask).id] };
    case 'notes':
      return { projectId: (row as ExportedNote).projectId, taskIds: [(row as ExportedNote).taskId] };
    default:
      return undefined;
  }
}

/** Imports `data` (see ImportOptions); every change in one transaction, all or nothing. */
export function importStore(c: Connection, data: StoreExport, options: ImportOptions = {}): ImportReport {
  return c.write(() => {
    const p = planImport(data, readAll(c), options);
    if (!p.apply) return p.report;
    for (const [kind, row] of p.adds) {
      const { insert, values } = kind === 'notes' ? NOTE_INSERT : UPSERT[kind];
      c.statement(insert).run(values(row as never));
    }
    for (const [kind, row] of p.updates) c.statement(UPSERT[kind].update).run(UPSERT[kind].values(row as never));
    // Counters only move forward: an id handed out here is never handed out again.
    for (const k of p.counters) {
      setLastAssigned(c, k.projectId, k.artifactType, k.lastAssigned);
    }
    for (const [kind, row] of [...p.adds, ...p.updates]) {
      // Imported tasks are written tasks: stamped with the change sequence, so a reader's delta holds them. A note
      // is part of its task as readers see it.
      const change = changeOf(kind, row);
      if (change) c.changed(change.projectId, change.taskIds);
    }
    return { ...p.report, applied: true };
  });
}
