// Two tenants on one `serve`, run against each engine (store-sqlite.test.ts, store-postgres.test.ts): tokens scoped
// to one project each, over the real HTTP server and the live endpoint. One tenant's writes move nothing the other
// reads (its listing's sequence, its delta, its notifications), and a monitor following both projects is told every
// change of each exactly once: each notification's delta starts where the one before ended.
import { describe, expect, it } from 'vitest';
import { subscribeResources } from '../../src/mcp/subscribe.js';
import { startHttpServer, type TaskStore } from '../../src/server/index.js';
import { projectTasksUri } from '../../src/server/resource-uri.js';
import { liveUrlOf } from '../../src/sources/live.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { silentLogger } from '../helpers/cache.js';
import { call, connectHttp, data, envelope, textOf } from '../server/client.js';

const ADMIN = 'tenants-admin-token-0123456789abcdefghij';
const ALPHA = 'tenants-alpha-token-0123456789abcdefghij';
const BETA = 'tenants-beta-token-0123456789abcdefghijk';
const ALPHA_GAMMA = 'tenants-alpha-gamma-token-0123456789abcdef';

interface Carried {
  since: number;
  sequence: number;
  tasks: { id: string; title: string }[];
  deleted_task_ids: string[];
}

export function tenantSuite(engine: string, open: () => Promise<{ store: TaskStore; close(): Promise<void> }>): void {
  describe(`two tenants on ${engine}`, () => {
    it("one's writes move neither the other's sequence nor its delta; a monitor of both hears each change once", async () => {
      const { store, close } = await open();
      const server = await startHttpServer({
        host: '127.0.0.1',
        port: 0,
        store,
        log: silentLogger(),
        auth: {
          tokens: [
            { principal: 'admin', token: ADMIN, tools: ['*'] },
            { principal: 'alpha', token: ALPHA, tools: ['*'], projects: ['alpha'] },
            { principal: 'beta', token: BETA, tools: ['*'], projects: ['beta'] },
          ],
        },
      });
      const admin = await connectHttp(server.url, ADMIN);
      const alpha = await connectHttp(server.url, ALPHA);
      const beta = await connectHttp(server.url, BETA);
      const heard = new Map<string, Carried[]>([
        ['alpha', []],
        ['beta', []],
      ]);
      const alphaHeard: number[] = [];
      const live = liveUrlOf(server.url) ?? '';
      const subscribe = (token: string, projects: string[], on: (uri: string, seq?: number, c?: unknown) => void) =>
        subscribeResources(
          { kind: 'http', url: live, headers: () => ({ Authorization: `Bearer ${token}` }) },
          projects.map(projectTasksUri),
          on,
          deadlineIn(5000),
        );
      const subscriptions: Array<{ close(): Promise<void> }> = [];
      try {
        for (const name of ['alpha', 'beta']) await data(admin, 'manage_project', { action: 'create', name });
        await data(alpha, 'manage_task', { action: 'create', project_id: 'alpha', title: 'a0' });
        const monitor = await subscribe(ADMIN, ['alpha', 'beta'], (uri, _seq, changes) => {
          const project = uri === projectTasksUri('alpha') ? 'alpha' : 'beta';
          if (changes) heard.get(project)?.push(changes as Carried);
        });
        const tenant = await subscribe(ALPHA, ['alpha'], (_uri, seq) => {
          if (seq !== undefined) alphaHeard.push(seq);
        });
        if (!monitor.subscribed || !tenant.subscribed) throw new Error('not subscribed');
        subscriptions.push(monitor.subscription, tenant.subscription);
        const listAlpha = async () => ({
          agenthub: await data(alpha, 'manage_task', { action: 'list', project_id: 'alpha' }),
          tracker: JSON.parse(
            (
              (await alpha.callTool({ name: 'list_tasks', arguments: { project_id: 'alpha' } })) as {
                content: { text: string }[];
              }
            ).content[0]?.text ?? '{}',
          ) as { sequence: number },
        });
        const before = await listAlpha();
        expect(before.tracker.sequence).toBe(before.agenthub.sequence);
        // From the first write after subscribing, each project's notifications carry its changes.
        await data(alpha, 'manage_task', { action: 'create', project_id: 'alpha', title: 'a1' });
        await data(beta, 'manage_task', { action: 'create', project_id: 'beta', title: 'b0' });

        const inBeta: string[] = [];
        for (let i = 1; i <= 6; i++)
          inBeta.push(
            (await data(beta, 'manage_task', { action: 'create', project_id: 'beta', title: `b${i}` })).task.id,
          );
        await data(beta, 'manage_task', { action: 'update', task_id: inBeta[1], status: 'in_progress' });
        await data(beta, 'manage_task', { action: 'delete', task_id: inBeta[2] });
        const afterBeta = await listAlpha();
        expect(afterBeta.agenthub.sequence).toBe(before.agenthub.sequence + 1);
        expect(afterBeta.tracker.sequence).toBe(afterBeta.agenthub.sequence);
        const since = afterBeta.agenthub.sequence as number;
        expect(await data(alpha, 'manage_task', { action: 'list', project_id: 'alpha', since })).toMatchObject({
          full: false,
          sequence: since,
          count: 0,
          deleted_task_ids: [],
        });
        await data(alpha, 'manage_task', { action: 'create', project_id: 'alpha', title: 'a2' });
        await expect.poll(() => alphaHeard.at(-1)).toBe(since + 1);
        // The tenant heard its own numbers only (a0's, a1's, a2's), however the window coalesced them: none of beta's
        // eight writes moved them.
        const own = [before.agenthub.sequence, since, since + 1];
        expect(alphaHeard.filter((n) => !own.includes(n))).toEqual([]);

        // The monitor: every change of each project once, the deltas chained without a gap or an overlap.
        for (let i = 0; i < 5; i++) {
          await data(beta, 'manage_task', { action: 'create', project_id: 'beta', title: `late b${i}` });
          await data(alpha, 'manage_task', { action: 'create', project_id: 'alpha', title: `late a${i}` });
        }
        for (const project of ['alpha', 'beta']) {
          const now = await data(admin, 'manage_task', { action: 'list', project_id: project, limit: 100 });
          await expect.poll(() => heard.get(project)?.at(-1)?.sequence, { timeout: 10_000 }).toBe(now.sequence);
          const chain = heard.get(project) ?? [];
          // A notification of a write the one before had already read carries nothing: since and sequence are one.
          for (const [i, c] of chain.entries()) {
            expect(c.since).toBeLessThanOrEqual(c.sequence);
            if (i > 0) expect(c.since).toBe(chain[i - 1]?.sequence);
          }
          const told = chain.flatMap((c) => c.tasks.map((t) => t.title));
          const deleted = new Set(chain.flatMap((c) => c.deleted_task_ids));
          const listed = (now.tasks as { id: string; title: string }[]).filter((t) => !deleted.has(t.id));
          // Every task written after the baseline is told, and none of the other project's.
          const other = project === 'alpha' ? /^(late )?b/ : /^(late )?a/;
          expect(told.filter((t) => other.test(t))).toEqual([]);
          for (const t of listed.filter((t) => t.title !== 'a0')) expect(told).toContain(t.title);
        }
        expect(heard.get('beta')?.flatMap((c) => c.deleted_task_ids)).toContain(inBeta[2]);
      } finally {
        for (const s of subscriptions) await s.close();
        await Promise.all([admin, alpha, beta].map((c) => c.close()));
        await server.close();
        await close();
      }
    }, 60_000);

    it('ids are counted per project: no gap from another tenant, no probe of its ids, an ambiguous id asks for project_id', async () => {
      const { store, close } = await open();
      const server = await startHttpServer({
        host: '127.0.0.1',
        port: 0,
        store,
        log: silentLogger(),
        auth: {
          tokens: [
            { principal: 'admin', token: ADMIN, tools: ['*'] },
            { principal: 'alpha', token: ALPHA, tools: ['*'], projects: ['alpha'] },
            { principal: 'beta', token: BETA, tools: ['*'], projects: ['beta'] },
            { principal: 'ag', token: ALPHA_GAMMA, tools: ['*'], projects: ['alpha', 'gamma'] },
          ],
        },
      });
      const admin = await connectHttp(server.url, ADMIN);
      const alpha = await connectHttp(server.url, ALPHA);
      const beta = await connectHttp(server.url, BETA);
      const ag = await connectHttp(server.url, ALPHA_GAMMA);
      const create = async (client: typeof admin, project: string, title: string): Promise<string> =>
        (await data(client, 'manage_task', { action: 'create', project_id: project, title })).task.id as string;
      /** What a call answers, with the id it names taken out: a refusal of one id against another's. */
      const answer = async (client: typeof admin, tool: string, args: Record<string, unknown>): Promise<string> =>
        textOf(await call(client, tool, args))
          .replaceAll(String(args.task_id), '<id>')
          .replace(/"timestamp":"[^"]*"/, '');
      try {
        for (const name of ['alpha', 'beta', 'gamma']) await data(admin, 'manage_project', { action: 'create', name });
        expect([await create(alpha, 'alpha', 'a1'), await create(alpha, 'alpha', 'a2')]).toEqual([
          'TASK-001',
          'TASK-002',
        ]);
        const inBeta: string[] = [];
        for (let i = 1; i <= 4; i++) inBeta.push(await create(beta, 'beta', `b${i}`));
        expect(inBeta).toEqual(['TASK-001', 'TASK-002', 'TASK-003', 'TASK-004']);
        // beta's four writes leave no gap in alpha's ids.
        expect(await create(alpha, 'alpha', 'a3')).toBe('TASK-003');
        // Each tenant reaches its own TASK-001 by id alone.
        expect((await data(alpha, 'manage_task', { action: 'get', task_id: 'TASK-001' })).task.title).toBe('a1');
        expect((await data(beta, 'manage_task', { action: 'get', task_id: 'TASK-001' })).task.title).toBe('b1');
        // An explicit id beta holds is alpha's to take.
        await data(admin, 'add_task', { tasks: [{ project_id: 'alpha', task_id: 'TASK-004', title: 'a4' }] });
        // An id only beta holds is, to alpha, an id no one holds: every tool answers it word for word the same.
        await data(beta, 'manage_task', { action: 'create', project_id: 'beta', title: 'b5' });
        for (const [tool, args] of [
          ['manage_task', { action: 'get' }],
          ['manage_task', { action: 'update', status: 'in_progress' }],
          ['manage_task', { action: 'add_note', note: 'x' }],
          ['manage_task', { action: 'delete' }],
          ['update_task_status', { status: 'completed' }],
          ['claim_task', { claimant: 'me' }],
        ] as const) {
          const held = await answer(alpha, tool, { ...args, task_id: 'TASK-005' });
          expect(held, `${tool} ${JSON.stringify(args)}`).toBe(
            await answer(alpha, tool, { ...args, task_id: 'TASK-905' }),
          );
          expect(held).not.toContain('beta');
        }
        expect((await data(beta, 'manage_task', { action: 'get', task_id: 'TASK-005' })).task.title).toBe('b5');
        // Where the caller sees several projects holding the id, the call asks which, naming only those it sees.
        const ambiguous = await envelope(admin, 'manage_task', { action: 'get', task_id: 'TASK-001' });
        expect(ambiguous.success).toBe(false);
        expect(JSON.stringify(ambiguous.error)).toContain(
          'Task TASK-001 exists in 2 projects (alpha, beta): pass project_id (one of alpha, beta) to say which',
        );
        expect(
          (await data(admin, 'manage_task', { action: 'get', task_id: 'TASK-001', project_id: 'beta' })).task.title,
        ).toBe('b1');
        await create(admin, 'gamma', 'g1');
        const seen = await envelope(ag, 'manage_task', { action: 'complete', task_id: 'TASK-001' });
        expect(JSON.stringify(seen.error)).toContain('exists in 2 projects (alpha, gamma)');
        expect(JSON.stringify(seen.error)).not.toContain('beta');
        expect(textOf(await call(ag, 'update_task_status', { task_id: 'TASK-001', status: 'completed' }))).toContain(
          'pass project_id (one of alpha, gamma)',
        );
        await data(ag, 'manage_task', { action: 'complete', task_id: 'TASK-001', project_id: 'gamma' });
        expect(
          (await data(admin, 'manage_task', { action: 'get', task_id: 'TASK-001', project_id: 'gamma' })).task.status,
        ).toBe('done');
        expect((await data(alpha, 'manage_task', { action: 'get', task_id: 'TASK-001' })).task.status).toBe('todo');
        // Naming another tenant's project is refused, as before, without a word of what it holds.
        const named = await answer(alpha, 'manage_task', { action: 'get', task_id: 'TASK-005', project_id: 'beta' });
        expect(named).toBe(
          await answer(alpha, 'manage_task', { action: 'get', task_id: 'TASK-905', project_id: 'beta' }),
        );
      } finally {
        await Promise.all([admin, alpha, beta, ag].map((c) => c.close()));
        await server.close();
        await close();
      }
    }, 60_000);
  });
}
