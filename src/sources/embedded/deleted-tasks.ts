// A task deleted from the built-in store, kept alone so that undoing the delete brings back that task and nothing
// else: its row as the store held it, its notes and the tasks of its project that depended on it, in a small file
// under backups/deleted/. Later changes to other tasks stay; the newest KEEP deletions are kept.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { UserError } from '../../errors/user.js';
import { homeFiles } from '../../home/files.js';
import type { Logger } from '../../log/logger.js';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../../store/transfer-format.js';
import type { StoreExport } from '../../store/transfer-schema.js';
import type { TaskDb } from '../../server/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { invalidateOnChange } from './store-access.js';

type Home = { home: string; log: Logger };

/** How many deleted tasks are kept; the oldest go first. Each is a few KB. */
export const DELETED_KEEP = 100;

const DeletedSchema = z.strictObject({
  deletedAt: z.string(),
  /** A store export of the task alone, with its project and branch: what `tasks import --merge` reads. */
  export: z.unknown(),
  notes: z.array(z.strictObject({ author: z.string(), text: z.string(), createdAt: z.string() })),
  /** The ids of the project's tasks that depended on it when it was deleted. */
  dependents: z.array(z.string()),
});

const deletedDir = (home: string): string => path.join(homeFiles(home).backups, 'deleted');
const fileName = (project: string, id: string, at: Date): string =>
  `${encodeURIComponent(project)}--${encodeURIComponent(id)}--${at.toISOString().replace(/[-:.]/g, '')}.json`;

async function openHomeStore(opts: Home): Promise<TaskDb> {
  const { openTaskDb, storeFileOptions } = await import('../../server/index.js');
  const file = homeFiles(opts.home).tasks;
  return openTaskDb(file, storeFileOptions(file, opts.home, opts.log));
}

/**
 * Keeps task `id` of `project` as it is now, before its delete; the oldest kept deletions beyond DELETED_KEEP go.
 * Returns the file, or undefined when the store holds no such task (the delete then fails on its own).
 */
export async function keepDeletedTask(opts: Home & { project: string; id: string }): Promise<string | undefined> {
  const db = await openHomeStore(opts);
  try {
    const project = db.getProject(opts.project);
    const task = project && db.getTask({ projectId: project.id, id: opts.id });
    if (!project || !task) return undefined;
    const branch = task.gitBranchId === null ? undefined : db.getBranch(task.gitBranchId);
    const { version: _v, claimedBy: _c, claimExpiresAt: _e, ...row } = task;
    const kept: StoreExport = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: new Date().toISOString(),
      projects: [project],
      branches: branch ? [branch] : [],
      tasks: [row],
      idCounters: [],
      reservations: [],
      // Its notes are kept beside the export and written again as new notes when it comes back.
      notes: [],
      workRecords: [],
      repositories: [],
    };
    const notes = db.listNotes({ projectId: project.id, id: task.id }).map(({ author, text, createdAt }) => ({
      author,
      text,
      createdAt,
    }));
    const dependents = db
      .listTasks({ projectId: project.id, limit: db.countTasks() })
      .tasks.filter((t) => t.dependencies.includes(task.id))
      .map((t) => t.id);
    const at = new Date();
    const dir = deletedDir(opts.home);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, fileName(project.name, task.id, at));
    const body: z.infer<typeof DeletedSchema> = { deletedAt: at.toISOString(), export: kept, notes, dependents };
    writeFileAtomic(file, `${JSON.stringify(body, null, 2)}\n`, 0o600);
    pruneDeleted(opts.home, DELETED_KEEP);
    return file;
  } finally {
    db.close();
  }
}

/** Drops the oldest kept deletions beyond `keep`; returns the files removed. */
export function pruneDeleted(home: string, keep: number): string[] {
  const dir = deletedDir(home);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  // The stamp ends each name: newest last once sorted by it.
  const byAge = names.sort((a, b) => (a.split('--')[2] ?? '').localeCompare(b.split('--')[2] ?? ''));
  const gone = byAge.slice(0, Math.max(0, byAge.length - keep)).map((n) => path.join(dir, n));
  for (const f of gone) rmSync(f, { force: true });
  return gone;
}

/** The newest kept deletion of `id` in `project`, if any. */
function newestKept(home: string, project: string, id: string): string | undefined {
  const prefix = `${encodeURIComponent(project)}--${encodeURIComponent(id)}--`;
  let names: string[];
  try {
    names = readdirSync(deletedDir(home)).filter((n) => n.startsWith(prefix) && n.endsWith('.json'));
  } catch {
    return undefined;
  }
  const newest = names.sort().at(-1);
  return newest && path.join(deletedDir(home), newest);
}

export interface Undeleted {
  id: string;
  title: string;
  notes: number;
  dependents: string[];
}

/**
 * Brings deleted task `id` of `project` back as it was (its id, fields and notes, the same-project tasks that depended
 * on it depending on it again), changing nothing else; its kept file goes once it is back. Refused, changing nothing,
 * when none was kept or the id is taken again.
 */
export async function restoreDeletedTask(opts: Home & { project: string; id: string }): Promise<Undeleted> {
  const file = newestKept(opts.home, opts.project, opts.id);
  if (!file)
    throw new UserError(`no deleted task ${opts.id} of project ${opts.project} is kept to bring back`, 'not_found', {
      fix: `the newest ${DELETED_KEEP} deletions of the built-in store are kept; \`taskhooks tasks restore\` lists whole-store backups`,
    });
  const { parseExport } = await import('../../server/index.js');
  const kept = DeletedSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const data = parseExport(JSON.stringify(kept.export), file);
  const db = await openHomeStore(opts);
  try {
    invalidateOnChange(db, opts);
    const [task] = data.tasks;
    if (!task) throw new UserError(`${file} holds no task; remove it`, 'failed');
    // The project and branch as they are now, where they still are: only the task is added.
    const project = db.getProject(data.projects[0]?.name ?? opts.project);
    const keptBranch = data.branches[0];
    const branch = project && keptBranch && db.findBranch(project.id, keptBranch.name);
    const now = {
      ...data,
      projects: project ? [project] : data.projects,
      branches: branch ? [branch] : data.branches,
      tasks: [
        { ...task, ...(project ? { projectId: project.id } : {}), ...(branch ? { gitBranchId: branch.id } : {}) },
      ],
    };
    const report = db.importData(now, { merge: true });
    if (!report.applied || report.added.tasks !== 1)
      throw new UserError(
        `cannot bring ${opts.id} back: ${[...report.clashes, ...report.overwrites].join('; ') || 'the store refused it'}; nothing was changed`,
        'failed',
      );
    const ref = { projectId: now.tasks[0]?.projectId ?? task.projectId, id: task.id };
    for (const note of kept.notes) db.addNote(ref, note.text, note.author);
    const dependents = kept.dependents.filter((d) => {
      const t = db.getTask({ projectId: ref.projectId, id: d });
      if (!t || t.dependencies.includes(task.id)) return false;
      db.addDependency({ projectId: ref.projectId, id: d }, task.id);
      return true;
    });
    rmSync(file, { force: true });
    return { id: task.id, title: task.title, notes: kept.notes.length, dependents };
  } finally {
    db.close();
  }
}
