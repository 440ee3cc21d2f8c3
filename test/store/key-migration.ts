// A store from before tasks were keyed by project and id, for each engine's migration test (store-sqlite.test.ts,
// store-postgres.test.ts): what the release before left, and what must hold once the store is opened again.
import { expect } from 'vitest';
import type { TaskStore } from '../../src/store/index.js';

/** Two projects, three tasks (one depending on another), a note on a task of each, ids counted per project. */
export const STORE_BEFORE_KEYS = `
  INSERT INTO projects (id, name, created_at, updated_at) VALUES ('pa', 'alpha', 'then', 'then'), ('pb', 'beta', 'then', 'then');
  INSERT INTO tasks (id, project_id, title, status, priority, dependencies, created_at, updated_at, change_seq) VALUES
    ('TASK-001', 'pa', 'a1', 'todo', 'medium', '[]', 'then', 'then', 1),
    ('TASK-002', 'pb', 'b1', 'todo', 'medium', '[]', 'then', 'then', 2),
    ('TASK-003', 'pa', 'a2', 'todo', 'medium', '["TASK-001"]', 'then', 'then', 3);
  INSERT INTO task_notes (task_id, author, text, created_at) VALUES
    ('TASK-001', 'dana', 'note on a1', 'then'), ('TASK-002', 'eve', 'note on b1', 'then');
  INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES ('pa', 'TASK', 3), ('pb', 'TASK', 2);
  UPDATE store_meta SET value = 3 WHERE key = 'change_seq';
`;

/** Every task, id, dependency and note kept; each project's next id its own; notes go with their task only. */
export async function expectKeptByProject(store: TaskStore): Promise<void> {
  const a = (id: string) => ({ projectId: 'pa', id });
  const b = (id: string) => ({ projectId: 'pb', id });
  expect(await store.countTasks()).toBe(3);
  expect((await store.getTask(a('TASK-001')))?.title).toBe('a1');
  expect((await store.getTask('TASK-002'))?.title).toBe('b1');
  expect((await store.getTask(a('TASK-003')))?.dependencies).toEqual(['TASK-001']);
  expect((await store.listNotes(a('TASK-001'))).map((n) => [n.author, n.text])).toEqual([['dana', 'note on a1']]);
  expect((await store.listNotes(b('TASK-002'))).map((n) => [n.author, n.text])).toEqual([['eve', 'note on b1']]);
  // beta's next id is its own third, though alpha holds a TASK-003: before, it would have skipped to TASK-004.
  expect((await store.createTask({ projectId: 'pb', title: 'b2' })).id).toBe('TASK-003');
  expect((await store.createTask({ projectId: 'pa', title: 'a3' })).id).toBe('TASK-004');
  expect((await store.createTask({ projectId: 'pb', id: 'TASK-001', title: 'b0' })).id).toBe('TASK-001');
  // A task's notes go with it, and only its own.
  await store.deleteTask(a('TASK-001'));
  expect(await store.listNotes(a('TASK-001'))).toEqual([]);
  expect((await store.listNotes(b('TASK-002'))).map((n) => n.text)).toEqual(['note on b1']);
  expect((await store.getTask(a('TASK-003')))?.dependencies).toEqual([]);
}
