// tasks.db's migration 10: dependencies on another project's task, which migration 9 left as bare ids (read since then
// as the dependent's own project's), named with their project again. Before migration 9 an id named one task in the
// whole store, so the project holding it then is the one meant; a task its own project got later with that id is
// not, unless the dependent was edited after it came, which no row can settle: that one is kept as it is and noted
// for `doctor` (dependency_doubts).
import type { Db } from '../sqlite/index.js';
import { stampSequence, type Written } from './sequence.js';
import { dependencyKey, otherProjectDependency } from './dependency-ref.js';

/** Where a bare dependency points: unchanged, at another project's task, or left for a person to decide. */
export type DependencyOrigin = { keep: true } | { project: string } | { doubt: string[] };

export interface Holder {
  projectId: string;
  createdAt: string;
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT/;

/**
 * The origin of bare dependency `dep` of a task of `projectId`, last written at `updatedAt`, from the tasks holding
 * its id and the time ids became per project (`keyedAt`, ISO). A creation time that is not one counts as before.
 */
export function dependencyOrigin(
  projectId: string,
  updatedAt: string,
  holders: readonly Holder[],
  keyedAt: string,
): DependencyOrigin {
  const before = (h: Holder): boolean => !ISO_TIME.test(h.createdAt) || h.createdAt <= keyedAt;
  const own = holders.find((h) => h.projectId === projectId);
  if (own && before(own)) return { keep: true };
  const others = holders.filter((h) => h.projectId !== projectId && before(h));
  const [only, ...more] = others;
  if (!only) return { keep: true };
  if (more.length > 0) return { doubt: others.map((h) => h.projectId) };
  // The dependent was not written since its project got a task with this id: its list is older than that task.
  if (!own || updatedAt < own.createdAt) return { project: only.projectId };
  return { doubt: [only.projectId] };
}

interface Dependent {
  project_id: string;
  id: string;
  dependencies: string;
  updated_at: string;
}

/** When migration 9 ran (now, when it ran in this same migration), as ISO text like the tasks' times. */
function keyedAt(db: Db): string {
  const row = db.prepare('SELECT applied_at FROM schema_version WHERE version = 9').get() as
    | { applied_at: number }
    | undefined;
  return new Date(row?.applied_at ?? Date.now()).toISOString();
}

/** Every task id with the projects holding it, in the order they were added. */
function holderIndex(db: Db): Map<string, Holder[]> {
  const index = new Map<string, Holder[]>();
  const rows = db.prepare('SELECT id, project_id, created_at FROM tasks ORDER BY rowid').all() as {
    id: string;
    project_id: string;
    created_at: string;
  }[];
  for (const r of rows)
    index.set(r.id, [...(index.get(r.id) ?? []), { projectId: r.project_id, createdAt: r.created_at }]);
  return index;
}

/** Migration 10: see the top of this file. */
export function keepDependencyProjects(db: Db): void {
  db.exec(`
    CREATE TABLE dependency_doubts (
      project_id TEXT NOT NULL,
      task_id TEXT NOT NULL,
      dependency TEXT NOT NULL,
      other_projects TEXT NOT NULL,
      PRIMARY KEY (project_id, task_id, dependency)
    );
  `);
  const at = keyedAt(db);
  // Read once: since migration 9 no index leads with the id, so a lookup per dependency would scan every task.
  const holders = holderIndex(db);
  const projects = new Set((db.prepare('SELECT id FROM projects').all() as { id: string }[]).map((r) => r.id));
  const isProject = (id: string): boolean => projects.has(id);
  const doubt = db.prepare('INSERT OR REPLACE INTO dependency_doubts VALUES (?, ?, ?, ?)');
  const update = db.prepare('UPDATE tasks SET dependencies = ?, version = version + 1 WHERE project_id = ? AND id = ?');
  const written = new Map<string, Set<string>>();
  const dependents = db
    .prepare("SELECT project_id, id, dependencies, updated_at FROM tasks WHERE dependencies <> '[]'")
    .all() as Dependent[];
  for (const t of dependents) {
    const deps = JSON.parse(t.dependencies) as string[];
    const kept = deps.map((dep) => {
      if (dependencyKey(t.project_id, dep, isProject).projectId !== t.project_id) return dep;
      const origin = dependencyOrigin(t.project_id, t.updated_at, holders.get(dep) ?? [], at);
      if ('doubt' in origin) doubt.run(t.project_id, t.id, dep, origin.doubt.join(','));
      return 'project' in origin ? otherProjectDependency({ projectId: origin.project, id: dep }) : dep;
    });
    if (kept.every((d, i) => d === deps[i])) continue;
    update.run(JSON.stringify(kept), t.project_id, t.id);
    written.set(t.project_id, (written.get(t.project_id) ?? new Set()).add(t.id));
  }
  if (written.size === 0) return;
  // Readers holding a sequence are told of the rewritten tasks, and the next backup copies the store again.
  stampSequence((sql) => db.prepare(sql), written as Written);
  db.exec("UPDATE store_meta SET value = value + 1 WHERE key = 'generation'");
}

/** A dependency migration 10 (PostgreSQL's 7) could not settle, as both engines read it back. */
export interface DoubtRow {
  project: string;
  task_id: string;
  dependency: string;
  other_projects: string;
}

/** The one line that tells a person the dependencies to check and how to name another project's task; undefined for none. */
export function doubtsLine(rows: readonly DoubtRow[]): string | undefined {
  if (rows.length === 0) return undefined;
  const shown = rows.slice(0, 3).map((r) => {
    const named = r.other_projects
      .split(',')
      .map((p) => `\`${otherProjectDependency({ projectId: p, id: r.dependency })}\``)
      .join(' or ');
    return `${r.project} ${r.task_id} depends on ${r.dependency}, its own project's since the upgrade, while another project held that id before it (for that one, set the dependency to ${named})`;
  });
  const more = rows.length > shown.length ? `; and ${rows.length - shown.length} more` : '';
  return `dependencies the upgrade to per-project ids could not settle (told once): ${shown.join('; ')}${more}. A task's dependencies are set with manage_task's update (dependencies)`;
}

/**
 * The dependencies migration 10 could not settle that still stand (the task holds the bare id yet), as the one line
 * `doctor` shows with the fix, then forgotten: each is told once. Undefined when there is none.
 */
export function tellDependencyDoubts(db: Db): string | undefined {
  const rows = db
    .prepare(
      `SELECT p.name AS project, d.task_id, d.dependency, d.other_projects FROM dependency_doubts d
       JOIN projects p ON p.id = d.project_id
       JOIN tasks t ON t.project_id = d.project_id AND t.id = d.task_id
       WHERE EXISTS (SELECT 1 FROM json_each(t.dependencies) WHERE value = d.dependency)
       ORDER BY p.name, d.task_id, d.dependency`,
    )
    .all() as DoubtRow[];
  db.prepare('DELETE FROM dependency_doubts').run();
  return doubtsLine(rows);
}
