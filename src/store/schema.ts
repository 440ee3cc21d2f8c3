import type { Migration } from '../sqlite/index.js';
import { foldOriginKey } from '../git/identity.js';
import { keepDependencyProjects } from './dependency-origins.js';

/**
 * A task's own columns as the first migration made them: the rebuild keyed by project keeps them as they were. Part of
 * shipped migrations, so never edited; a new column is a new migration's.
 */
const TASK_COLUMNS_1 = `title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        details TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        priority TEXT NOT NULL,
        assignees TEXT NOT NULL DEFAULT '[]',
        labels TEXT NOT NULL DEFAULT '[]',
        dependencies TEXT NOT NULL DEFAULT '[]',
        estimated_effort TEXT,
        due_date TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        completed_at TEXT,
        completion_summary TEXT`;

/** Forward-only migrations of tasks.db; append, never edit one that has shipped. */
export const TASK_DB_MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE git_branches (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (project_id, name)
      );
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        git_branch_id TEXT REFERENCES git_branches(id) ON DELETE SET NULL,
        ${TASK_COLUMNS_1}
      );
      CREATE INDEX tasks_by_project_status ON tasks(project_id, status);
      CREATE INDEX tasks_by_branch_status ON tasks(git_branch_id, status);
      CREATE TABLE id_counters (
        project_id TEXT NOT NULL,
        artifact_type TEXT NOT NULL,
        last_assigned INTEGER NOT NULL,
        PRIMARY KEY (project_id, artifact_type)
      );
      CREATE TABLE id_reservations (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        artifact_type TEXT NOT NULL,
        first_number INTEGER NOT NULL,
        count INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `);
  },
  // How many committed writes have changed the store (see the connection's write): a backup taken at the same
  // generation holds the same tasks, so an unchanged store is not copied again, whichever process wrote it last.
  (db) => {
    db.exec(`
      CREATE TABLE store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO store_meta (key, value) VALUES ('generation', 0);
    `);
  },
  // Claims with a lease, a version every write moves on (compare-and-set), and notes. Claim times are ISO text like
  // every other time here, so a lease is compared as text against the current time.
  (db) => {
    db.exec(`
      ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE tasks ADD COLUMN claimed_by TEXT;
      ALTER TABLE tasks ADD COLUMN claim_expires_at TEXT;
      CREATE TABLE task_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        author TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX task_notes_by_task ON task_notes(task_id, id);
    `);
  },
  // The change sequence: every write that changes tasks moves it on once and stamps the rows it wrote with it, and a
  // deleted task leaves a tombstone at it, so a reader holding sequence N can be told exactly what changed after N.
  (db) => {
    db.exec(`
      ALTER TABLE tasks ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX tasks_by_change ON tasks(project_id, change_seq);
      CREATE TABLE task_tombstones (
        task_id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        deleted_at TEXT NOT NULL
      );
      CREATE INDEX task_tombstones_by_seq ON task_tombstones(project_id, seq);
      INSERT INTO store_meta (key, value) VALUES ('change_seq', 0), ('change_horizon', 0);
      `);
  },
  // What a write with a request id answered, so a retry of one that landed answers the same instead of writing again.
  // `result` is NULL while the first attempt runs; rows are forgotten a day after they were taken.
  (db) => {
    db.exec(`
      CREATE TABLE write_requests (
        key TEXT PRIMARY KEY,
        result TEXT,
        taken_at INTEGER NOT NULL
      );
      CREATE INDEX write_requests_by_age ON write_requests(taken_at);
    `);
  },
  // A tombstone per task and project: ids are counted per project, so one deleted here may be handed out in another
  // project and deleted there too, and each project's readers must be told of their own deletion.
  (db) => {
    db.exec(`
      CREATE TABLE task_tombstones_by_project (
        task_id TEXT NOT NULL,
        project_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        deleted_at TEXT NOT NULL,
        PRIMARY KEY (task_id, project_id)
      );
      INSERT INTO task_tombstones_by_project SELECT task_id, project_id, seq, deleted_at FROM task_tombstones;
      DROP TABLE task_tombstones;
      ALTER TABLE task_tombstones_by_project RENAME TO task_tombstones;
      CREATE INDEX task_tombstones_by_seq ON task_tombstones(project_id, seq);
    `);
  },
  // Request ids keyed by principal, project, tool and action, with a digest of the arguments and the pid of the
  // attempt running it: rows of the old key (tool, action and id alone) could answer another tenant, so they go.
  (db) => {
    db.exec(`
      DELETE FROM write_requests;
      ALTER TABLE write_requests ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
      ALTER TABLE write_requests ADD COLUMN owner_pid INTEGER NOT NULL DEFAULT 0;
    `);
  },
  // A change sequence per project, so a tenant's numbers never count another project's writes; the store's own stays
  // for its listing cache and is never sent. Each project starts at the store's sequence: every cursor a reader
  // holds, and every row and tombstone stamped, stays valid.
  (db) => {
    db.exec(`
      CREATE TABLE project_sequences (
        project_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        horizon INTEGER NOT NULL
      );
      INSERT INTO project_sequences (project_id, seq, horizon)
        SELECT id, (SELECT value FROM store_meta WHERE key = 'change_seq'),
          (SELECT value FROM store_meta WHERE key = 'change_horizon') FROM projects;
      DELETE FROM store_meta WHERE key = 'change_horizon';
    `);
  },
  // Tasks keyed by project and id: each project counts its own ids, so two projects may each hold TASK-001 and no
  // project's ids skip a number another holds. Notes name their task the same way. The tables are rebuilt (SQLite
  // cannot change a primary key): the notes first, so dropping the old tasks cascades to no note, rows in their order.
  (db) => {
    db.exec(`
      CREATE TABLE tasks_by_project (
        id TEXT NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        git_branch_id TEXT REFERENCES git_branches(id) ON DELETE SET NULL,
        ${TASK_COLUMNS_1},
        version INTEGER NOT NULL DEFAULT 1,
        claimed_by TEXT,
        claim_expires_at TEXT,
        change_seq INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (project_id, id)
      );
      INSERT INTO tasks_by_project (id, project_id, git_branch_id, title, description, details, status, priority,
        assignees, labels, dependencies, estimated_effort, due_date, created_at, updated_at, completed_at,
        completion_summary, version, claimed_by, claim_expires_at, change_seq)
      SELECT id, project_id, git_branch_id, title, description, details, status, priority, assignees, labels,
        dependencies, estimated_effort, due_date, created_at, updated_at, completed_at, completion_summary, version,
        claimed_by, claim_expires_at, change_seq FROM tasks ORDER BY rowid;
      CREATE TABLE task_notes_by_project (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        FOREIGN KEY (project_id, task_id) REFERENCES tasks_by_project(project_id, id) ON DELETE CASCADE
      );
      INSERT INTO task_notes_by_project (id, project_id, task_id, author, text, created_at)
        SELECT n.id, t.project_id, n.task_id, n.author, n.text, n.created_at
        FROM task_notes n JOIN tasks t ON t.id = n.task_id ORDER BY n.id;
      DROP TABLE task_notes;
      DROP TABLE tasks;
      ALTER TABLE tasks_by_project RENAME TO tasks;
      ALTER TABLE task_notes_by_project RENAME TO task_notes;
      CREATE INDEX tasks_by_project_status ON tasks(project_id, status);
      CREATE INDEX tasks_by_branch_status ON tasks(git_branch_id, status);
      CREATE INDEX tasks_by_change ON tasks(project_id, change_seq);
      CREATE INDEX task_notes_by_task ON task_notes(project_id, task_id, id);
    `);
  },
  // Dependencies on another project's task named with that project again: migration 9 left them as bare ids, which
  // since read as the dependent's own project's (dependency-origins.ts). A store migrating from 8 runs both at once.
  keepDependencyProjects,
  // The project each repository is, by its identity (its origin normalised, else its first commit: src/git/identity.ts),
  // so a folder renamed, moved or cloned again names the same project. Keyed by the project's name, which a session
  // resolves before the project may exist (its first task makes it); a project renamed takes its repositories along.
  (db) => {
    db.exec(`
      CREATE TABLE project_repositories (
        repository TEXT PRIMARY KEY,
        project TEXT NOT NULL
      );
      CREATE INDEX project_repositories_by_project ON project_repositories(project);
    `);
  },
  // What each session did on a task (see work-records.ts): kept with the task, and gone with it. Commits and the files
  // left uncommitted and the statuses it set are JSON arrays; closing words are absent when the person turned them off.
  (db) => {
    db.exec(`
      CREATE TABLE work_records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        agent TEXT NOT NULL DEFAULT '',
        branch TEXT NOT NULL DEFAULT '',
        machine TEXT NOT NULL DEFAULT '',
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        commits TEXT NOT NULL DEFAULT '[]',
        uncommitted TEXT NOT NULL DEFAULT '[]',
        status_to TEXT,
        status_changes TEXT NOT NULL DEFAULT '[]',
        closing_words TEXT,
        UNIQUE (project_id, task_id, session_id, started_at),
        FOREIGN KEY (project_id, task_id) REFERENCES tasks(project_id, id) ON DELETE CASCADE
      );
      CREATE INDEX work_records_by_task ON work_records(project_id, task_id, ended_at);
      CREATE INDEX work_records_by_branch ON work_records(project_id, branch, ended_at);
    `);
  },
  // Each origin's first commit and where it was last seen (its git common dir), so another origin finds the project by
  // the commit unless the repository it forked is still there; keys of hosts that tell no case folded to lower case.
  // A folded key another row already has keeps its old spelling: dropping it would free its project's name for a
  // repository new here, which would then take that project's tasks.
  (db) => {
    db.exec(`
      ALTER TABLE project_repositories ADD COLUMN first_commit TEXT;
      ALTER TABLE project_repositories ADD COLUMN seen_in TEXT;
      CREATE INDEX project_repositories_by_first_commit ON project_repositories(first_commit);
    `);
    const fold = db.prepare('UPDATE OR IGNORE project_repositories SET repository = ? WHERE repository = ?');
    const keys = db.prepare('SELECT repository FROM project_repositories').all() as { repository: string }[];
    for (const { repository } of keys) {
      const folded = foldOriginKey(repository);
      if (folded !== repository) fold.run(folded, repository);
    }
  },
];
