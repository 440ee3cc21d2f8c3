// Export and import of the whole store: rows as they are (ids, timestamps, counters), in the order the store keeps
// them. An import fills an empty store, or merges: what is missing is added, what is identical is left, and what
// differs is replaced only when asked; a clash nothing can resolve (a name taken by another record) imports nothing.
import { invalid } from './errors.js';
import type { Connection } from './connection.js';
import { setLastAssigned } from './ids.js';
import { EXPORT_FORMAT, EXPORT_VERSION } from './transfer-format.js';
import type { ExportedIdCounter, ExportedReservation, StoreExport } from './transfer-schema.js';
import { fieldColumns, NEW_TASK_COLUMNS, toTask, type TaskRow } from './rows.js';
import type { GitBranch, ImportOptions, ImportReport, Project, TaskRecord } from './types.js';

export type Kind = 'projects' | 'branches' | 'tasks' | 'reservations';

const SELECT = {
  projects:
    'SELECT id, name, description, created_at AS createdAt, updated_at AS updatedAt FROM projects ORDER BY rowid',
  branches:
    'SELECT id, project_id AS projectId, name, description, created_at AS createdAt, updated_at AS updatedAt FROM git_branches ORDER BY rowid',
  idCounters:
    'SELECT project_id AS projectId, artifact_type AS artifactType, last_assigned AS lastAssigned FROM id_counters ORDER BY rowid',
  reservations:
    'SELECT id, project_id AS projectId, artifact_type AS artifactType, first_number AS firstNumber, count, created_at AS createdAt, expires_at AS expiresAt FROM id_reservations ORDER BY rowid',
};

export type ExportedTask = StoreExport['tasks'][number];
export type Row = Project | GitBranch | ExportedTask | ExportedReservation;

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

const UPSERT: Record<Kind, { insert: string; update: string; values: (r: never) => Record<string, unknown> }> = {
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
};

export const SINGULAR: Record<Kind, string> = {
  projects: 'project',
  branches: 'git branch',
  tasks: 'task',
  reservations: 'reservation',
};

export type StoreRows = Omit<StoreExport, 'format' | 'version' | 'exportedAt'>;

function readAll(c: Connection): StoreRows {
  return {
    projects: c.statement(SELECT.projects).all() as Project[],
    branches: c.statement(SELECT.branches).all() as GitBranch[],
    tasks: (c.statement('SELECT * FROM tasks ORDER BY rowid').all() as TaskRow[]).map(toTask).map(exportedTask),
    idCounters: c.statement(SELECT.idCounters).all() as ExportedIdCounter[],
    reservations: c.statement(SELECT.reservations).all() as ExportedReservation[],
  };
}

/** Every row of the store, read in one transaction so the file is one moment of it. */
export function exportStore(c: Connection): StoreExport {
  const rows = c.db.transaction(() => readAll(c)).deferred();
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date().toISOString(), ...rows };
}

function differing(a: Row, b: Row): string[] {
  return Object.keys(a).filter(
    (k) =>
      JSON.stringify((a as unknown as Record<string, unknown>)[k]) !==
      JSON.stringify((b as unknown as Record<string, unknown>)[k]),
  );
}

export interface Plan {
  report: ImportReport;
  adds: Array<[Kind, Row]>;
  updates: Array<[Kind, Row]>;
  counters: ExportedIdCounter[];
}

/** A row's key: a task's is its project and id (each project counts its own ids), any other row's its id. */
const keyOf = (kind: Kind, row: Row): string =>
  kind === 'tasks' ? `${(row as ExportedTask).projectId}\0${row.id}` : row.id;

/** What importing `data` into a store holding `here` adds, replaces and refuses: the same for every engine. */
export function plan(data: StoreExport, here: StoreRows): Plan {
  const report: ImportReport = {
    added: { projects: 0, branches: 0, tasks: 0, reservations: 0, idCounters: 0 },
    unchanged: 0,
    overwrites: [],
    clashes: [],
    applied: false,
  };
  const adds: Plan['adds'] = [];
  const updates: Plan['updates'] = [];
  for (const kind of ['projects', 'branches', 'tasks', 'reservations'] as const) {
    const existing = new Map<string, Row>(here[kind].map((r) => [keyOf(kind, r), r]));
    for (const row of data[kind] as Row[]) {
      const mine = existing.get(keyOf(kind, row));
      if (!mine) {
        adds.push([kind, row]);
        report.added[kind]++;
      } else if (differing(mine, row).length === 0) report.unchanged++;
      else {
        updates.push([kind, row]);
        report.overwrites.push(`${SINGULAR[kind]} ${row.id} (${differing(mine, row).join(', ')})`);
      }
    }
  }
  const projectNames = new Map(here.projects.map((p) => [p.name, p.id]));
  for (const p of data.projects) {
    const holder = projectNames.get(p.name);
    if (holder && holder !== p.id)
      report.clashes.push(`project name "${p.name}" belongs to project ${holder} here, to ${p.id} in the file`);
  }
  const branchNames = new Map(here.branches.map((b) => [`${b.projectId}\0${b.name}`, b.id]));
  for (const b of data.branches) {
    const holder = branchNames.get(`${b.projectId}\0${b.name}`);
    if (holder && holder !== b.id)
      report.clashes.push(`git branch "${b.name}" of project ${b.projectId} is ${holder} here, ${b.id} in the file`);
  }
  const projects = new Set([...here.projects, ...data.projects].map((x) => x.id));
  const branches = new Set([...here.branches, ...data.branches].map((x) => x.id));
  for (const row of [...data.branches, ...data.tasks]) {
    if (!projects.has(row.projectId))
      report.clashes.push(`${row.id} belongs to project ${row.projectId}, which is neither in the file nor here`);
  }
  for (const t of data.tasks) {
    if (t.gitBranchId !== null && !branches.has(t.gitBranchId))
      report.clashes.push(`task ${t.id} is on git branch ${t.gitBranchId}, which is neither in the file nor here`);
  }
  const counters = new Map(here.idCounters.map((k) => [`${k.projectId}\0${k.artifactType}`, k.lastAssigned]));
  const raised = data.idCounters.filter(
    (k) => (counters.get(`${k.projectId}\0${k.artifactType}`) ?? -1) < k.lastAssigned,
  );
  report.added.idCounters = raised.length;
  report.unchanged += data.idCounters.length - raised.length;
  return { report, adds, updates, counters: raised };
}

/**
 * What importing `data` over `here` would do, and whether to do it: refused outright when the store is not empty and
 * the import does not merge; not applied on a dry run, a clash, or an overwrite not asked for.
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

/** Imports `data` (see ImportOptions); every change in one transaction, all or nothing. */
export function importStore(c: Connection, data: StoreExport, options: ImportOptions = {}): ImportReport {
  return c.write(() => {
    const p = planImport(data, readAll(c), options);
    if (!p.apply) return p.report;
    for (const [kind, row] of p.adds) c.statement(UPSERT[kind].insert).run(UPSERT[kind].values(row as never));
    for (const [kind, row] of p.updates) c.statement(UPSERT[kind].update).run(UPSERT[kind].values(row as never));
    // Counters only move forward: an id handed out here is never handed out again.
    for (const k of p.counters) {
      setLastAssigned(c, k.projectId, k.artifactType, k.lastAssigned);
    }
    for (const [kind, row] of [...p.adds, ...p.updates]) {
      // Imported tasks are written tasks: stamped with the change sequence, so a reader's delta holds them.
      if (kind === 'tasks') c.changed((row as ExportedTask).projectId, [row.id]);
      else if (kind !== 'reservations') c.changed(kind === 'projects' ? row.id : (row as GitBranch).projectId);
    }
    return { ...p.report, applied: true };
  });
}
