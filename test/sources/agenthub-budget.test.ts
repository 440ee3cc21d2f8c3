// An agenthub server whose every page is large: the listing keeps each description cut as its page arrives, stops at
// its byte budget and says so (a stand-in tool session: what the pages hold, not the transport, is under test).
import { afterEach, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import type { ToolSession } from '../../src/resilience/tool-session.js';
import { agenthubSource } from '../../src/sources/agenthub/source.js';
import { DEFAULT_LIST_CAP, MAX_FIELD_CHARS } from '../../src/sources/list-cap.js';
import { silentLogger } from '../helpers/cache.js';
import { tempHome } from '../helpers/hooks.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A server of one project and branch whose task pages never end, each task with a 100 KB description. */
function largePages(): { toolSession: ToolSession; pages: () => number } {
  const description = 'd'.repeat(100 * 1024);
  let pages = 0;
  const ok = (data: unknown) => ({ success: true, data });
  const toolSession: ToolSession = {
    call: async (tool, args) => {
      if (tool === 'manage_project') return ok({ projects: [{ id: 'p-1', name: 'app' }] });
      if (tool === 'manage_git_branch') return ok({ git_branchs: [{ id: 'b-1', name: 'main' }] });
      pages++;
      const offset = Number(args.offset ?? 0);
      const tasks = Array.from({ length: Number(args.limit) }, (_, i) => ({
        id: `TASK-${offset + i}`,
        title: `Task ${offset + i}`,
        status: 'todo',
        description,
      }));
      return ok({ tasks });
    },
    callAnswer: async () => ({ texts: [] }),
    listTools: async () => ['manage_task', 'manage_git_branch', 'manage_project'],
    server: () => 'large-pages',
    transport: () => undefined,
    close: async () => undefined,
  };
  return { toolSession, pages: () => pages };
}

it('an agenthub listing of large pages is cut at its byte budget, each description cut as its page arrives', async () => {
  const home = tempHome();
  const cache = openCache({ home: home.home, log: silentLogger() });
  cleanups.push(
    () => cache.close(),
    () => home.cleanup(),
  );
  const server = largePages();
  const src = agenthubSource(server.toolSession, { cache, defaultDeadlineMs: 30_000, unknownProjectNote: (p) => p });
  const read = await src.pending({ projectRoot: home.home, project: 'app', branch: 'main' });
  expect(read.tasks.length).toBeGreaterThan(100);
  expect(read.tasks.reduce((n, t) => n + JSON.stringify(t).length, 0)).toBeLessThanOrEqual(DEFAULT_LIST_CAP.bytes);
  expect(read.tasks.every((t) => t.description.length === MAX_FIELD_CHARS + 1)).toBe(true);
  expect(server.pages()).toBeLessThan(10);
  expect(read.note).toContain('took more than 32 MiB, long fields cut');
  expect(read.cursor).toBeUndefined();
});
