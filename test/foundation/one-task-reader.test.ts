// One reader of the built-in store's tasks: a branch's listing is one query (its tasks and its project's on no
// branch, BRANCH_TASKS_SQL), and a pending list is made in one place (pendingOf). Every consumer (the hooks' snapshot,
// `tasks list`, the board, the next-task pick, the news, the session's list_tasks) goes through them; this fails when
// a module makes its own. The other sources' folders read their own services' lists and stand apart.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

/** Sources whose pending list comes from their own service, not the built-in store. */
const OWN_SERVICES = ['azure-devops', 'backlog', 'github', 'gitlab', 'jira', 'linear', 'mcp', 'taskmaster', 'tracker'];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

const mine = sourceFiles('src').filter(
  (f) => !OWN_SERVICES.some((s) => f.startsWith(`src/sources/${s}/`)) && f !== 'src/sources/issue-list.ts',
);
const holding = (pattern: RegExp): string[] =>
  mine.filter((f) => pattern.test(readFileSync(path.join(root, f), 'utf8')));

describe('one reader of the built-in store', () => {
  it('sorts a pending list only in src/tasks (pendingOf, and a snapshot moved on by a delta)', () => {
    expect(holding(/\bsortPending\(/)).toEqual(['src/tasks/delta.ts', 'src/tasks/pending.ts']);
  });

  it("filters a branch's tasks in SQL only by the store's one rule", () => {
    // The rule itself, and a branch's removal, which must find only its own tasks.
    expect(holding(/git_branch_id = [?$]/)).toEqual([
      'src/store/postgres/projects.ts',
      'src/store/projects.ts',
      'src/store/task-queries.ts',
    ]);
    expect(holding(/BRANCH_TASKS_SQL\(/)).toEqual(['src/store/postgres/task-queries.ts', 'src/store/task-queries.ts']);
  });

  it('makes a Task of a stored task in one place', () => {
    expect(holding(/export function taskOf\(/)).toEqual(['src/tasks/stored.ts']);
    expect(holding(/\btaskOf\(taskJson\(/).sort()).toEqual([
      'src/server/tools/task-list.ts',
      'src/sources/embedded/local-read.ts',
    ]);
  });
});
