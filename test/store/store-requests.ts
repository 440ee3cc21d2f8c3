// Request ids on each engine (store-sqlite.test.ts, store-postgres.test.ts): a write tool call run through `once` with
// an id that already landed answers the first answer, on another connection too, and racing attempts write once.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerEntry, once, type LedgerEntry } from '../../src/server/idempotent.js';
import type { TaskStore } from '../../src/store/index.js';
import type { StoreFixture } from './store-suite.js';

const answer = (text: string): CallToolResult => ({ content: [{ type: 'text', text }] });
const textOf = (r: CallToolResult): string => (r.content[0] as { text: string }).text;
const never = (): boolean => false;
/** A create's ledger entry: dana's in project shop unless told otherwise. */
const entry = (id: string, body: Record<string, unknown> = {}, who = 'dana', project = 'shop'): LedgerEntry =>
  ledgerEntry({ principal: who, project, tool: 'manage_task', action: 'create', id }, { request_id: id, ...body });

export function requestSuite(engine: string, open: () => Promise<StoreFixture>): void {
  describe(`write request ids on ${engine}`, () => {
    const closing: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const close of closing.splice(0).reverse()) await close();
    });
    async function seeded(): Promise<{ f: StoreFixture; projectId: string }> {
      const f = await open();
      closing.push(() => f.close());
      const { project } = await f.store.getOrCreateProject({ name: 'shop' });
      return { f, projectId: project.id };
    }
    async function other(f: StoreFixture): Promise<TaskStore> {
      const s = await f.connect();
      closing.push(() => s.close());
      return s;
    }
    const create = (store: TaskStore, projectId: string, title: string) => async (): Promise<CallToolResult> =>
      answer((await store.createTask({ projectId, title })).id);

    it("a request's writes and its answer are one transaction: an attempt that fails after writing keeps neither", async () => {
      const { f, projectId } = await seeded();
      const second = await other(f);
      const dies = once(f.store, entry('r0'), never, async () => {
        await f.store.createTask({ projectId, title: 'lost' });
        throw new Error('the connection went away after the write');
      });
      await expect(dies).rejects.toThrow('went away');
      expect((await f.store.listTasks({ projectId })).total).toBe(0);
      const retry = await once(second, entry('r0'), never, create(second, projectId, 'landed'));
      expect((await f.store.getTask(textOf(retry)))?.title).toBe('landed');
      expect(textOf(await once(f.store, entry('r0'), never, create(f.store, projectId, 'again')))).toBe(textOf(retry));
      expect((await f.store.listTasks({ projectId })).total).toBe(1);
    });

    it('a retry of a write that landed, on another connection, answers the first answer and writes nothing', async () => {
      const { f, projectId } = await seeded();
      const second = await other(f);
      const first = await once(f.store, entry('r1'), never, create(f.store, projectId, 'once'));
      const retry = await once(second, entry('r1'), never, create(second, projectId, 'twice'));
      expect(textOf(retry)).toBe(textOf(first));
      expect((await f.store.listTasks({ projectId })).tasks.map((t) => t.title)).toEqual(['once']);
      // A new id is a new write.
      await once(second, entry('r2'), never, create(second, projectId, 'another'));
      expect((await f.store.listTasks({ projectId })).total).toBe(2);
    });

    it('a failed attempt lets its id go: the retry writes', async () => {
      const { f, projectId } = await seeded();
      const refused = once(f.store, entry('r3'), never, () => Promise.reject(new Error('busy')));
      await expect(refused).rejects.toThrow('busy');
      const failure = answer('{"status":"failure"}');
      await once(
        f.store,
        entry('r3'),
        () => true,
        async () => failure,
      );
      const retry = await once(f.store, entry('r3'), never, create(f.store, projectId, 'third time'));
      expect((await f.store.getTask(textOf(retry)))?.title).toBe('third time');
    });

    it('ten connections racing with one id write one task and all answer it', async () => {
      const { f, projectId } = await seeded();
      const stores = await Promise.all(Array.from({ length: 10 }, () => other(f)));
      const answers = await Promise.all(
        stores.map((s, i) => once(s, entry('race'), never, create(s, projectId, `racer ${i}`))),
      );
      const { tasks } = await f.store.listTasks({ projectId });
      expect(tasks).toHaveLength(1);
      expect(new Set(answers.map(textOf))).toEqual(new Set([tasks[0]?.id]));
    });

    it('the same id from another principal or project is another write, answered with its own result', async () => {
      const { f, projectId } = await seeded();
      const second = await other(f);
      const first = await once(f.store, entry('r4'), never, create(f.store, projectId, 'dana in shop'));
      const lee = await once(second, entry('r4', {}, 'lee'), never, create(second, projectId, 'lee in shop'));
      const elsewhere = await once(second, entry('r4', {}, 'dana', 'mall'), never, create(second, projectId, 'mall'));
      const ids = [textOf(first), textOf(lee), textOf(elsewhere)];
      expect(new Set(ids).size).toBe(3);
      expect((await f.store.getTask(textOf(lee)))?.title).toBe('lee in shop');
      expect((await f.store.listTasks({ projectId })).total).toBe(3);
    });

    it('a replayed id with another body is refused in one line and answered nothing of the first write', async () => {
      const { f, projectId } = await seeded();
      const second = await other(f);
      const first = await once(f.store, entry('r5', { title: 'a' }), never, create(f.store, projectId, 'a'));
      const replay = once(second, entry('r5', { title: 'b' }), never, create(second, projectId, 'b'));
      await expect(replay).rejects.toThrow(/^Request id r5 was already used for another write/);
      await expect(replay).rejects.not.toThrow(textOf(first));
      // The same body in another key order is the same request.
      const again = entry('r5', { title: 'a' });
      expect(
        ledgerEntry(
          { principal: 'dana', project: 'shop', tool: 'manage_task', action: 'create', id: 'r5' },
          {
            title: 'a',
            request_id: 'r5',
          },
        ),
      ).toEqual(again);
      expect(textOf(await once(second, again, never, create(second, projectId, 'a')))).toBe(textOf(first));
      expect((await f.store.listTasks({ projectId })).total).toBe(1);
    });
  });
}
