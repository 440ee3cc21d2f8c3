// The board's cards carry what the last sessions on each task did: its work records from the built-in store, read
// through the board's own task operations, newest first, a record whose commits no branch holds said to be so.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { boardTasks } from '../../src/dashboard/board-tasks.js';
import { renderMain } from '../../src/dashboard/page.js';
import { readCacheView } from '../../src/dashboard/state.js';
import { openTaskDb, type WorkRecord } from '../../src/store/index.js';
import { silentLogger } from '../helpers/cache.js';
import { git, makeRepo } from '../helpers/git.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the board’s work records', () => {
  it('lists each task’s last sessions under its card, the stale one said, none for a task without', async () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const repo = makeRepo({ name: 'shop', branch: 'main', commits: ['Retry declined refunds once'] });
    cleanups.push(repo.cleanup);
    const cache = openCache({ home });
    cleanups.push(() => cache.close());
    const board = boardTasks({ cache, log: silentLogger(), env: hookEnv(home), home });
    const project = { name: 'shop', root: repo.dir };
    await board.act(project, { action: 'add', title: 'Retry refunds' });
    await board.act(project, { action: 'add', title: 'Untouched' });
    const listed = await board.list(project);
    const worked = listed.find((t) => t.title === 'Retry refunds');
    if (!worked) throw new Error('the added task is not listed');

    const head = git(repo.dir, 'rev-parse', '--short', 'HEAD').trim();
    const db = openTaskDb(path.join(home, 'tasks.db'));
    try {
      const [shop] = db.listProjects();
      const record = (over: Partial<WorkRecord>): WorkRecord => ({
        projectId: shop?.id ?? '',
        taskId: worked.id,
        sessionId: 's1',
        agent: 'Codex',
        branch: 'main',
        machine: 'box',
        startedAt: '2026-11-28T08:00:00.000Z',
        endedAt: '2026-11-28T09:00:00.000Z',
        commits: [{ hash: head, subject: 'Retry declined refunds once' }],
        uncommitted: [],
        statusTo: 'in_progress',
        statusChanges: [],
        closingWords: 'Left off: <b>the webhook</b> still fails.',
        ...over,
      });
      db.addWorkRecord(record({}));
      db.addWorkRecord(
        record({
          sessionId: 's0',
          startedAt: '2026-11-27T08:00:00.000Z',
          endedAt: '2026-11-27T09:00:00.000Z',
          commits: [{ hash: 'deadbee', subject: 'A spike, rebased away' }],
        }),
      );
    } finally {
      db.close();
    }

    const work = await board.work(
      project,
      listed.map((t) => t.id),
    );
    expect([...work.keys()]).toEqual([worked.id]);
    const now = Date.parse('2026-11-28T11:00:00.000Z');
    const html = renderMain({ view: readCacheView(cache), project: 'shop', tasks: listed, work, now });
    const card = html.slice(html.indexOf(`data-id="${worked.id}"`));
    expect(card).toContain('<summary>Sessions <span class="count">2</span></summary>');
    expect(card).toContain(
      `<li>Last session on ${worked.id}, 2 h ago (Codex, branch main): committed ${head} &quot;Retry declined refunds once&quot;; it ended: &quot;Left off: ‹b›the webhook‹/b› still fails.&quot;</li>`,
    );
    expect(card).toContain('A spike, rebased away&quot; (no branch holds these commits now)');
  });
});
