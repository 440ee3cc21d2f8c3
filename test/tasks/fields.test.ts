// The declaration of a task's plain fields holds where the type checker cannot see: every declared column is made by
// the migrations of both engines, and every field makes the round trip through each store as written.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openTaskDb } from '../../src/store/index.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { sqliteStore, type TaskStore } from '../../src/store/store.js';
import {
  fieldProblem,
  fieldsFromFlags,
  fieldSpec,
  ON_TASK,
  TASK_FIELD_NAMES,
  unkeptFlags,
  type StoredFields,
  type TaskFieldValues,
} from '../../src/tasks/fields.js';
import { postgresForFile } from '../helpers/postgres.js';

const pgServer = postgresForFile();
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A value of each declared field as its kind takes it. */
const written = Object.fromEntries(
  TASK_FIELD_NAMES.map((name) => [name, fieldSpec(name).kind === 'date' ? '2026-12-01' : `the ${name}`]),
) as StoredFields;

async function roundTrip(store: TaskStore): Promise<void> {
  const project = await store.createProject({ name: 'fields' });
  const task = await store.createTask({ projectId: project.id, title: 'Every field', ...written });
  expect(await store.getTask(task.id)).toMatchObject(written);
  // Each field given empty goes back to its empty value; a date that is no day is refused, naming the argument.
  const cleared = Object.fromEntries(TASK_FIELD_NAMES.map((name) => [name, ''])) as StoredFields;
  const emptied = await store.updateTask(task.id, cleared);
  for (const name of TASK_FIELD_NAMES) expect(emptied[name]).toBe(fieldSpec(name).empty);
  for (const name of TASK_FIELD_NAMES.filter((n) => fieldSpec(n).kind === 'date'))
    await expect(Promise.resolve().then(() => store.updateTask(task.id, { [name]: '2026-02-30' }))).rejects.toThrow(
      `${fieldSpec(name).arg}: "2026-02-30" is not a date`,
    );
}

describe('the declared fields in the stores', () => {
  it('SQLite: each has its column, and makes the round trip', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-fields-'));
    dirs.push(dir);
    const db = openTaskDb(path.join(dir, 'tasks.db'));
    try {
      const columns = (db.db.prepare('PRAGMA table_info(tasks)').all() as { name: string }[]).map((c) => c.name);
      for (const name of TASK_FIELD_NAMES) expect(columns).toContain(fieldSpec(name).column);
      await roundTrip(sqliteStore(db));
    } finally {
      db.close();
    }
  });

  it('PostgreSQL: each has its column, and makes the round trip', async () => {
    const url = await pgServer.createDatabase();
    const store = await openPostgresStore({ connectionString: url });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'tasks'",
      );
      for (const name of TASK_FIELD_NAMES) expect(rows.map((r) => r.column_name)).toContain(fieldSpec(name).column);
      await roundTrip(store);
    } finally {
      await client.end();
      await store.close();
    }
  }, 120_000);
});

describe('fieldProblem', () => {
  it('takes a real day, or an ISO timestamp on one; refuses anything else, saying the form', () => {
    for (const ok of ['2026-12-01', '2028-02-29', '2026-12-01T09:30:00Z', '2026-12-01T09:30:00.5+02:00'])
      expect(fieldProblem('date', ok)).toBeUndefined();
    for (const bad of ['2026-02-30', '2027-02-29', '1/12/2026', '2026-12-1', 'tomorrow', '2026-12-01T25:00:00Z'])
      expect(fieldProblem('date', bad)).toBe(
        `${JSON.stringify(bad)} is not a date: give a day as YYYY-MM-DD, e.g. 2026-12-01`,
      );
    expect(fieldProblem('text', 'anything at all')).toBeUndefined();
  });
});

/** A value of each field a person meets, keyed by its flag and by its name. */
const byFlag = Object.fromEntries(ON_TASK.map(({ name, spec }) => [spec.task.flag, written[name]]));
const byName = Object.fromEntries(ON_TASK.map(({ name }) => [name, written[name]])) as TaskFieldValues;

describe('the fields a person meets', () => {
  it('are every declared field with a `task`, a date among them, so the loops below are not over nothing', () => {
    expect(ON_TASK.map(({ name }) => name)).toEqual(TASK_FIELD_NAMES.filter((n) => fieldSpec(n).task !== undefined));
    expect(ON_TASK.filter(({ spec }) => spec.kind === 'date').length).toBeGreaterThan(0);
  });
});

describe('the fields given as flags', () => {
  it('are read by flag onto their names, absent ones left out and empty ones kept to clear', () => {
    expect(fieldsFromFlags({ ...byFlag, title: 'not a field' })).toEqual({ fields: byName });
    expect(fieldsFromFlags({})).toEqual({ fields: {} });
    const emptied = Object.fromEntries(ON_TASK.map(({ spec }) => [spec.task.flag, '']));
    expect(fieldsFromFlags(emptied).fields).toEqual(Object.fromEntries(ON_TASK.map(({ name }) => [name, ''])));
  });

  it('name the flag whose value is not of its kind', () => {
    for (const { spec } of ON_TASK.filter((f) => f.spec.kind === 'date'))
      expect(fieldsFromFlags({ [spec.task.flag]: '2026-02-30' }).problem).toBe(
        `--${spec.task.flag} ${fieldProblem('date', '2026-02-30')}`,
      );
  });

  it('that the answered task lacks are named by flag; one given empty is not looked for', () => {
    expect(unkeptFlags(byName, byName)).toEqual([]);
    expect(unkeptFlags(byName, {})).toEqual(ON_TASK.map(({ spec }) => `--${spec.task.flag}`));
    const cleared = Object.fromEntries(ON_TASK.map(({ name }) => [name, ''])) as TaskFieldValues;
    expect(unkeptFlags(cleared, {})).toEqual([]);
  });
});
