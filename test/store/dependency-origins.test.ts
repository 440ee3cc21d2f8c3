// How a dependency names its task (dependency-ref.ts) and how migration 10 decides which project a bare one meant
// (dependency-origins.ts), case by case; the whole upgrade is shown through the CLI in test/cli/dependency-migration.
import { describe, expect, it } from 'vitest';
import { dependencyOrigin, doubtsLine } from '../../src/store/dependency-origins.js';
import { dependencyKey, dependencyPrefixes } from '../../src/store/dependency-ref.js';

const projects = new Set(['p-shop', 'p-api']);
const isProject = (id: string): boolean => projects.has(id);

describe('dependencyKey', () => {
  it('reads a bare id as its own project’s task and <project id>/<id> as that project’s', () => {
    expect(dependencyKey('p-shop', 'TASK-001', isProject)).toEqual({ projectId: 'p-shop', id: 'TASK-001' });
    expect(dependencyKey('p-shop', 'p-api/TASK-001', isProject)).toEqual({ projectId: 'p-api', id: 'TASK-001' });
  });

  it('keeps an id holding a slash its own project’s unless the prefix is another project that exists', () => {
    expect(dependencyKey('p-shop', 'docs/setup', isProject)).toEqual({ projectId: 'p-shop', id: 'docs/setup' });
    expect(dependencyKey('p-shop', 'p-shop/TASK-001', isProject)).toEqual({
      projectId: 'p-shop',
      id: 'p-shop/TASK-001',
    });
    expect(dependencyKey('p-shop', 'p-api/', isProject)).toEqual({ projectId: 'p-shop', id: 'p-api/' });
    expect(dependencyPrefixes(['TASK-1', 'p-api/TASK-2', 'p-api/TASK-3', '/x'])).toEqual(['p-api']);
  });
});

describe('dependencyOrigin', () => {
  const keyedAt = '2026-03-01T00:00:00.000Z';
  const before = '2026-02-01T00:00:00.000Z';
  const after = '2026-03-02T00:00:00.000Z';
  const later = '2026-03-03T00:00:00.000Z';

  it('keeps a dependency its own project held before ids were per project, or no other project held', () => {
    expect(dependencyOrigin('p-shop', before, [{ projectId: 'p-shop', createdAt: before }], keyedAt)).toEqual({
      keep: true,
    });
    expect(dependencyOrigin('p-shop', before, [], keyedAt)).toEqual({ keep: true });
    // Another project's task of that id made after the upgrade was never what it meant.
    expect(dependencyOrigin('p-shop', before, [{ projectId: 'p-api', createdAt: after }], keyedAt)).toEqual({
      keep: true,
    });
  });

  it('names the project that held the id before, over a task its own project got later, unless edited since', () => {
    const api = { projectId: 'p-api', createdAt: before };
    expect(dependencyOrigin('p-shop', before, [api], keyedAt)).toEqual({ project: 'p-api' });
    const own = { projectId: 'p-shop', createdAt: after };
    expect(dependencyOrigin('p-shop', before, [api, own], keyedAt)).toEqual({ project: 'p-api' });
    expect(dependencyOrigin('p-shop', later, [api, own], keyedAt)).toEqual({ doubt: ['p-api'] });
  });

  it('counts a creation time that is no ISO time as before, and doubts where several projects held the id', () => {
    const old = [
      { projectId: 'p-api', createdAt: 'then' },
      { projectId: 'p-web', createdAt: before },
    ];
    expect(dependencyOrigin('p-shop', before, old, keyedAt)).toEqual({ doubt: ['p-api', 'p-web'] });
  });
});

it('doubtsLine names at most three, how many more, and how to name the other project’s task', () => {
  const row = (n: number) => ({
    project: 'shop',
    task_id: `TASK-00${n}`,
    dependency: 'TASK-009',
    other_projects: 'p-api,p-web',
  });
  expect(doubtsLine([])).toBeUndefined();
  const line = doubtsLine([1, 2, 3, 4].map(row)) ?? '';
  expect(line).toContain('shop TASK-003 depends on TASK-009');
  expect(line).not.toContain('TASK-004 depends');
  expect(line).toContain('and 1 more');
  expect(line).toContain('`p-api/TASK-009` or `p-web/TASK-009`');
  expect(line).not.toContain('\n');
});
