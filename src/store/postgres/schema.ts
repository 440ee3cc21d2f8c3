// The PostgreSQL store's tables and their versioned migrations, applied at start in one transaction under an advisory
// lock so that several processes starting at once on one database, directly or through a pooler, migrate it once.
import type { Pool } from 'pg';

/** Forward-only; append, never edit one that has shipped. `seq` keeps insertion order, as SQLite's rowid does. */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE projects (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    name text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    created_at text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE TABLE git_branches (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    project_id text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    created_at text NOT NULL,
    updated_at text NOT NULL,
    UNIQUE (project_id, name)
  );
  CREATE TABLE tasks (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    project_id text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    git_branch_id text REFERENCES git_branches(id) ON DELETE SET NULL,
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    details text NOT NULL DEFAULT '',
    status text NOT NULL,
    priority text NOT NULL,
    assignees jsonb NOT NULL DEFAULT '[]',
    labels jsonb NOT NULL DEFAULT '[]',
    dependencies jsonb NOT NULL DEFAULT '[]',
    estimated_effort text,
    due_date text,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    completed_at text,
    completion_summary text,
    version integer NOT NULL DEFAULT 1,
    claimed_by text,
    claim_expires_at timestamptz
  );
  CREATE INDEX tasks_by_project_status ON tasks(project_id, status);
  CREATE INDEX tasks_by_branch_status ON tasks(git_branch_id, status);
  CREATE TABLE id_counters (
    seq bigserial UNIQUE,
    project_id text NOT NULL,
    artifact_type text NOT NULL,
    last_assigned integer NOT NULL,
    PRIMARY KEY (project_id, artifact_type)
  );
  CREATE TABLE id_reservations (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    project_id text NOT NULL,
    artifact_type text NOT NULL,
    first_number integer NOT NULL,
    count integer NOT NULL,
    created_at text NOT NULL,
    expires_at text NOT NULL
  );
  CREATE TABLE task_notes (
    id serial PRIMARY KEY,
    task_id text NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    author text NOT NULL DEFAULT '',
    text text NOT NULL,
    created_at text NOT NULL
  );
  CREATE INDEX task_notes_by_task ON task_notes(task_id, id);
  `,
  // The change sequence (see the SQLite store's migration 4). The one store_meta row is also the lock that orders
  // writers' sequences: each takes it last in its transaction and holds it to its commit.
  `
  CREATE TABLE store_meta (key text PRIMARY KEY, value bigint NOT NULL);
  INSERT INTO store_meta (key, value) VALUES ('change_seq', 0), ('change_horizon', 0);
  ALTER TABLE tasks ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
  CREATE INDEX tasks_by_change ON tasks(project_id, change_seq);
  CREATE TABLE task_tombstones (
    task_id text PRIMARY KEY,
    project_id text NOT NULL,
    seq bigint NOT NULL,
    deleted_at text NOT NULL
  );
  CREATE INDEX task_tombstones_by_seq ON task_tombstones(project_id, seq);
  `,
  // A tombstone per task and project (see the SQLite store's migration 6): a deleted task's id may be handed out in
  // another project and deleted there too.
  `
  ALTER TABLE task_tombstones DROP CONSTRAINT task_tombstones_pkey;
  ALTER TABLE task_tombstones ADD PRIMARY KEY (task_id, project_id);
  `,
  // The request-id ledger (see the SQLite store's migration 7), made here for stores that never had it and widened by
  // a digest of the arguments for those that did; rows of the old key could answer another tenant.
  `
  CREATE TABLE IF NOT EXISTS write_requests (key text PRIMARY KEY, result text, taken_at bigint NOT NULL);
  CREATE INDEX IF NOT EXISTS write_requests_by_age ON write_requests(taken_at);
  DELETE FROM write_requests;
  ALTER TABLE write_requests ADD COLUMN fingerprint text NOT NULL DEFAULT '';
  `,
  // A change sequence per project (see the SQLite store's migration 8), each starting at the store's.
  `
  CREATE TABLE project_sequences (
    project_id text PRIMARY KEY,
    seq bigint NOT NULL,
    horizon bigint NOT NULL
  );
  INSERT INTO project_sequences (project_id, seq, horizon)
    SELECT id, (SELECT value FROM store_meta WHERE key = 'change_seq'),
      (SELECT value FROM store_meta WHERE key = 'change_horizon') FROM projects;
  DELETE FROM store_meta WHERE key = 'change_horizon';
  `,
  // Tasks keyed by project and id (see the SQLite store's migration 9): each project counts its own ids, so two may
  // each hold TASK-001. Notes name their task the same way.
  `
  ALTER TABLE task_notes ADD COLUMN project_id text;
  UPDATE task_notes n SET project_id = t.project_id FROM tasks t WHERE t.id = n.task_id;
  ALTER TABLE task_notes ALTER COLUMN project_id SET NOT NULL;
  ALTER TABLE task_notes DROP CONSTRAINT task_notes_task_id_fkey;
  ALTER TABLE tasks DROP CONSTRAINT tasks_pkey;
  ALTER TABLE tasks ADD PRIMARY KEY (project_id, id);
  ALTER TABLE task_notes ADD FOREIGN KEY (project_id, task_id) REFERENCES tasks(project_id, id) ON DELETE CASCADE;
  DROP INDEX task_notes_by_task;
  CREATE INDEX task_notes_by_task ON task_notes(project_id, task_id, id);
  `,
  // Dependencies on another project's task named with that project again (see the SQLite store's migration 10 and
  // dependency-origins.ts, whose rules this is in SQL): migration 6 left them as bare ids, read since as the dependent's
  // own project's. Rewritten tasks are stamped with their project's next number, as any write is. JIT is off for this
  // one transaction (SET LOCAL ends with it, so a pooled backend keeps nothing): on 10,000 tasks compiling the
  // statement took 6 of the migration's 8 seconds.
  `
  SET LOCAL jit = off;
  CREATE TABLE dependency_doubts (
    project_id text NOT NULL,
    task_id text NOT NULL,
    dependency text NOT NULL,
    other_projects text NOT NULL,
    PRIMARY KEY (project_id, task_id, dependency)
  );
  WITH keyed AS (
    SELECT to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
    FROM schema_migrations WHERE version = 6
  ),
  deps AS (
    SELECT t.project_id, t.id, t.updated_at, d.dep, d.pos
    FROM tasks t, jsonb_array_elements_text(t.dependencies) WITH ORDINALITY AS d(dep, pos)
  ),
  held AS (
    SELECT id, array_agg(project_id ORDER BY seq) AS projects FROM tasks, keyed
    WHERE created_at !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' OR created_at <= keyed.at GROUP BY id
  ),
  decided AS (
    SELECT deps.*, own.created_at AS own_at,
      own.created_at IS NOT NULL AND deps.project_id = ANY(COALESCE(held.projects, '{}')) AS own_before,
      array_remove(COALESCE(held.projects, '{}'), deps.project_id) AS others,
      position('/' IN deps.dep) > 1 AND EXISTS (SELECT 1 FROM projects p
        WHERE p.id = split_part(deps.dep, '/', 1) AND p.id <> deps.project_id) AS named
    FROM deps
    LEFT JOIN held ON held.id = deps.dep
    LEFT JOIN tasks own ON own.project_id = deps.project_id AND own.id = deps.dep
  ),
  origin AS (
    SELECT decided.*, CASE
      WHEN named OR own_before OR cardinality(others) = 0 THEN 'keep'
      WHEN cardinality(others) > 1 THEN 'doubt'
      WHEN own_at IS NULL OR updated_at < own_at THEN 'project'
      ELSE 'doubt' END AS origin
    FROM decided
  ),
  doubts AS (
    INSERT INTO dependency_doubts
    SELECT project_id, id, dep, array_to_string(others, ',') FROM origin WHERE origin = 'doubt'
    ON CONFLICT DO NOTHING
  ),
  rewritten AS (
    SELECT project_id, id,
      jsonb_agg(CASE WHEN origin = 'project' THEN others[1] || '/' || dep ELSE dep END ORDER BY pos) AS dependencies
    FROM origin GROUP BY project_id, id HAVING bool_or(origin = 'project')
  ),
  stamped AS (
    INSERT INTO project_sequences (project_id, seq, horizon) SELECT DISTINCT project_id, 1, 0 FROM rewritten
    ON CONFLICT (project_id) DO UPDATE SET seq = project_sequences.seq + 1
    RETURNING project_id, seq
  ),
  store AS (
    UPDATE store_meta SET value = value + 1 WHERE key = 'change_seq' AND EXISTS (SELECT 1 FROM rewritten)
  )
  UPDATE tasks t SET dependencies = r.dependencies, version = t.version + 1, change_seq = s.seq
  FROM rewritten r JOIN stamped s USING (project_id)
  WHERE t.project_id = r.project_id AND t.id = r.id;
  `,
  // What each session did on a task, as tasks.db keeps it (src/store/work-records.ts).
  `
  CREATE TABLE work_records (
    id bigserial PRIMARY KEY,
    project_id text NOT NULL,
    task_id text NOT NULL,
    session_id text NOT NULL,
    agent text NOT NULL DEFAULT '',
    branch text NOT NULL DEFAULT '',
    machine text NOT NULL DEFAULT '',
    started_at text NOT NULL,
    ended_at text NOT NULL,
    commits jsonb NOT NULL DEFAULT '[]',
    uncommitted jsonb NOT NULL DEFAULT '[]',
    status_to text,
    status_changes jsonb NOT NULL DEFAULT '[]',
    closing_words text,
    UNIQUE (project_id, task_id, session_id, started_at),
    FOREIGN KEY (project_id, task_id) REFERENCES tasks(project_id, id) ON DELETE CASCADE
  );
  CREATE INDEX work_records_by_task ON work_records(project_id, task_id, ended_at);
  CREATE INDEX work_records_by_branch ON work_records(project_id, branch, ended_at);
  `,
];

/** The advisory lock every starting process takes around its migrations (any constant; this one spells "taskhook"). */
const MIGRATION_LOCK = '7461736b686f6f6b';

/**
 * Brings the schema up to date in one transaction; returns the version it is at. The lock is transaction-scoped
 * (`pg_advisory_xact_lock`): behind a pooler in transaction mode a session lock would be taken on one backend and
 * released on another, serialising nothing and staying held by an idle pooled backend. Concurrent callers queue on it
 * and find nothing left to do.
 */
export async function migratePostgres(pool: Pool): Promise<number> {
  const client = await pool.connect();
  let version = 0;
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(x'${MIGRATION_LOCK}'::bigint)`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    version = rows[0]?.v ?? 0;
    for (; version < PG_MIGRATIONS.length; version++) {
      await client.query(PG_MIGRATIONS[version] ?? '');
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
    }
    await client.query('COMMIT');
    return version;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new Error(
      `PostgreSQL task store migration ${version + 1} failed: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  } finally {
    client.release();
  }
}
