// A store made before ids were counted per project, with dependencies across projects, for each engine's test of the
// migration that keeps them (test/cli/dependency-migration.test.ts, test/store/dependency-migration-postgres.test.ts):
// rows as that schema held them, written in SQL both engines take.

export const THEN = '2026-01-05T09:00:00.000Z';

/**
 * Two projects on branch main. shop's urgent TASK-003 waits on api's TASK-002 (todo) and its high TASK-004 on api's
 * TASK-001 (done): the release before answered TASK-004 as shop's next task. Each project counts its own ids, but
 * before per-project ids no two tasks of the store shared one.
 */
export const STORE_BEFORE_PER_PROJECT_IDS = `
  INSERT INTO projects (id, name, description, created_at, updated_at) VALUES
    ('p-shop', 'shop', '', '${THEN}', '${THEN}'), ('p-api', 'api', '', '${THEN}', '${THEN}');
  INSERT INTO git_branches (id, project_id, name, description, created_at, updated_at) VALUES
    ('b-shop', 'p-shop', 'main', '', '${THEN}', '${THEN}'), ('b-api', 'p-api', 'main', '', '${THEN}', '${THEN}');
  INSERT INTO tasks (id, project_id, git_branch_id, title, status, priority, dependencies, created_at, updated_at,
      completed_at, change_seq) VALUES
    ('TASK-001', 'p-api', 'b-api', 'Publish the orders API', 'done', 'medium', '[]', '${THEN}', '${THEN}', '${THEN}', 1),
    ('TASK-002', 'p-api', 'b-api', 'Document the orders API', 'todo', 'medium', '[]', '${THEN}', '${THEN}', NULL, 2),
    ('TASK-003', 'p-shop', 'b-shop', 'Checkout calls the orders API', 'todo', 'urgent', '["TASK-002"]', '${THEN}',
      '${THEN}', NULL, 3),
    ('TASK-004', 'p-shop', 'b-shop', 'Show the order history', 'todo', 'high', '["TASK-001"]', '${THEN}', '${THEN}',
      NULL, 4);
  INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES ('p-api', 'TASK', 2), ('p-shop', 'TASK', 4);
  UPDATE store_meta SET value = 4 WHERE key = 'change_seq';
`;

/** What `taskhooks tasks next` in shop answered before the upgrade. */
export const NEXT_BEFORE = { id: 'TASK-004', title: 'Show the order history' };

/** The dependencies as the migration leaves them: each still names api's task, with its project. */
export const KEPT_DEPENDENCIES = { 'TASK-003': ['p-api/TASK-002'], 'TASK-004': ['p-api/TASK-001'] };

/**
 * shop's own TASK-001 and TASK-002 (both todo), made at `after` (ISO, later than the faulty migration) by a release
 * that had it; TASK-003 was edited at `edited`, after them, TASK-004 was not.
 */
export const captured = (after: string, edited: string): string => `
  INSERT INTO tasks (id, project_id, git_branch_id, title, status, priority, dependencies, created_at, updated_at)
  VALUES
    ('TASK-001', 'p-shop', 'b-shop', 'Shop task one', 'todo', 'low', '[]', '${after}', '${after}'),
    ('TASK-002', 'p-shop', 'b-shop', 'Shop task two', 'todo', 'low', '[]', '${after}', '${after}');
  UPDATE tasks SET updated_at = '${edited}', description = 'edited' WHERE project_id = 'p-shop' AND id = 'TASK-003';
`;
