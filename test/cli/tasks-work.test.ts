// The sessions that worked on a task, kept with it in the built-in store: `tasks show` lists them (and `--json` has
// them), `tasks forget` drops them and nothing else, `tasks done` with no summary takes the last one's, and an
// export carries them, with the notes, to another home.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTaskDb } from '../../src/server/index.js';
import type { WorkRecord } from '../../src/store/index.js';
import { jsonOut, runCli, type CliRun } from '../helpers/cli.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';

let repo: TempRepo;
let home: { home: string; cleanup(): void };
beforeEach(() => {
  repo = makeRepo({ name: 'shop', branch: 'main' });
  home = tempHome();
});
afterEach(() => {
  repo.cleanup();
  home.cleanup();
});

const cli = (...args: string[]): Promise<CliRun> =>
  runCli(args, { cwd: repo.dir, env: { ...hookEnv(home.home), HOME: home.home, NO_COLOR: '1' } });

/** A record of a session that committed on TASK-001 and ended with `words`, as SessionEnd writes one. */
function recordSession(sessionId: string, words: string | null, endedAt: string): void {
  const db = openTaskDb(path.join(home.home, 'tasks.db'));
  try {
    const shop = db.getProject('shop') as { id: string };
    db.addWorkRecord({
      projectId: shop.id,
      taskId: 'TASK-001',
      sessionId,
      agent: 'Claude Code',
      branch: 'main',
      machine: 'box',
      startedAt: '2026-11-28T08:00:00.000Z',
      endedAt,
      commits: [{ hash: '1d2e3f4', subject: 'Retry declined refunds once' }],
      uncommitted: ['refund.txt'],
      statusTo: 'in_progress',
      statusChanges: [],
      closingWords: words,
    });
  } finally {
    db.close();
  }
}

describe('a task’s work records on the command line', () => {
  it('tasks show lists them newest first, with --json, and tasks forget drops them alone', async () => {
    expect((await cli('tasks', 'add', 'Retry refunds')).code).toBe(0);
    recordSession('s-1', 'Left off: the webhook fails.', '2026-11-28T09:00:00.000Z');
    recordSession('s-2', 'Left off: retries work now.', '2026-11-28T10:00:00.000Z');

    const shown = await cli('tasks', 'show', 'TASK-001');
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.split('\n');
    const last = lines.findIndex((l) => l.startsWith('- Last session on TASK-001'));
    expect(lines[last]).toContain(
      '(Claude Code, branch main): committed 1d2e3f4 "Retry declined refunds once"; left refund.txt uncommitted; it ended: "Left off: retries work now."',
    );
    expect(lines[last + 1]).toBe('  session s-2 on box, 2 h long');
    expect(lines[last + 2]).toMatch(/^- Earlier session on TASK-001, .*"Left off: the webhook fails\."$/);

    const json = jsonOut(await cli('tasks', 'show', 'TASK-001', '--json')) as { workRecords: WorkRecord[] };
    expect(json.workRecords.map((r) => [r.sessionId, r.closingWords])).toEqual([
      ['s-2', 'Left off: retries work now.'],
      ['s-1', 'Left off: the webhook fails.'],
    ]);

    const forgot = await cli('tasks', 'forget', 'TASK-001');
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stdout).toBe('Forgot 2 session records of TASK-001.\n');
    const after = jsonOut(await cli('tasks', 'show', 'TASK-001', '--json')) as { title: string; workRecords: [] };
    expect(after).toMatchObject({ title: 'Retry refunds', workRecords: [] });
    expect((await cli('tasks', 'show', 'TASK-001')).stdout).not.toContain('session');
  });

  it('tasks forget refuses a task the store does not hold', async () => {
    const r = await cli('tasks', 'forget', 'TASK-404');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('TASK-404 is no task of the built-in store');
  });

  it('tasks done with no summary takes the last session’s record as its summary; a given one wins', async () => {
    for (const title of ['Retry refunds', 'Ship it']) expect((await cli('tasks', 'add', title)).code).toBe(0);
    recordSession('s-1', 'Left off: all green.', '2026-11-28T09:00:00.000Z');
    const done = await cli('tasks', 'done', 'TASK-001');
    expect(done.code, done.stderr).toBe(0);
    const summary =
      'Session of 2026-11-28 (Claude Code, branch main): committed 1d2e3f4 "Retry declined refunds once"; left refund.txt uncommitted; it ended: "Left off: all green."';
    expect(done.stdout).toContain(
      `Summary from the last session's record (give --summary to write your own): ${summary}`,
    );
    expect((jsonOut(await cli('tasks', 'show', 'TASK-001', '--json')) as { summary?: string }).summary).toBe(summary);

    const own = await cli('tasks', 'done', 'TASK-002', '--summary', 'Shipped by hand');
    expect(own.stdout).not.toContain("last session's record");
    expect((jsonOut(await cli('tasks', 'show', 'TASK-002', '--json')) as { summary?: string }).summary).toBe(
      'Shipped by hand',
    );
  });

  it('tasks export and import carry a task’s notes and work records to another home', async () => {
    expect((await cli('tasks', 'add', 'Take cards')).code).toBe(0);
    expect((await cli('tasks', 'note', 'TASK-001', 'decided: use stripe')).code).toBe(0);
    recordSession('s-1', 'Left off: the webhook fails.', '2026-11-28T09:00:00.000Z');
    const file = path.join(home.home, 'export.json');
    const exported = await cli('tasks', 'export', '--out', file);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('1 tasks, 1 id counters, 0 reservations, 1 notes, 1 work records');
    expect(readFileSync(file, 'utf8')).toContain('decided: use stripe');

    const other = tempHome();
    try {
      const there = (...args: string[]): Promise<CliRun> =>
        runCli(args, { cwd: repo.dir, env: { ...hookEnv(other.home), HOME: other.home, NO_COLOR: '1' } });
      const imported = await there('tasks', 'import', file);
      expect(imported.code, imported.stderr).toBe(0);
      // A task's notes are its details as `tasks show` reads them.
      const shown = jsonOut(await there('tasks', 'show', 'TASK-001', '--json')) as {
        details?: string;
        workRecords: WorkRecord[];
      };
      expect(shown.details).toBe('decided: use stripe');
      expect(shown.workRecords.map((r) => [r.sessionId, r.closingWords])).toEqual([
        ['s-1', 'Left off: the webhook fails.'],
      ]);
    } finally {
      other.cleanup();
    }
  });
});
