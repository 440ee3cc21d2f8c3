// The store server lends its open store to this process's reads of that file (src/store/tasks-db/reader.ts): the
// monitor's hooks, refreshes and board read through it, opening no connection of their own, until it closes. A task
// tool call is placed in the live session whose agent holds its connection, named as the connection was admitted.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, expect, it, vi } from 'vitest';
import { openCache } from '../../../src/cache/cache.js';
import { registerSession } from '../../../src/cache/live-sessions.js';
import { loadSettings } from '../../../src/config/settings.js';
import { homeFiles, TOOLS_LISTED_PREFIX } from '../../../src/home/files.js';
import { startStoreServer } from '../../../src/monitor/serve/store-server.js';
import { readCopy } from '../../../src/sqlite/index.js';
import { readStore } from '../../../src/store/tasks-db/reader.js';
import { socketInodes } from '../../../src/util/port-holder.js';
import { connectHttp, textOf, call } from '../../server/client.js';
import { silentLogger } from '../../helpers/cache.js';
import { hookEnv, tempHome } from '../../helpers/hooks.js';

vi.mock('../../../src/sqlite/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/sqlite/index.js')>();
  return { ...real, readCopy: vi.fn(real.readCopy) };
});
// Each process's sockets as /proc lists them, counted: which processes the server looked into.
const looked = vi.hoisted(() => [] as number[]);
vi.mock('../../../src/util/port-holder.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/util/port-holder.js')>();
  return {
    ...real,
    socketInodes: (pid: number) => {
      looked.push(pid);
      return real.socketInodes(pid);
    },
  };
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The store server of a fresh home, its cache and token; closed after the test unless the test closed it. */
async function serveStore() {
  const t = tempHome({ monitor: { hookPort: 0, storeServerPort: 0 } });
  cleanups.push(t.cleanup);
  const { settings } = await loadSettings({ cwd: t.home, env: hookEnv(t.home) });
  const cache = openCache({ home: t.home });
  cleanups.push(() => cache.close());
  const token = `th_${randomBytes(32).toString('base64url')}`;
  const server = await startStoreServer({ settings, log: silentLogger(), cache, port: 0, token });
  let serving = true;
  const close = async () => {
    if (serving) await server.close();
    serving = false;
  };
  cleanups.push(close);
  return { home: t.home, cache, server, token, close };
}

it('reads the store through its own connection while it serves, and opens the file again once it closed', async () => {
  const { home, server, close } = await serveStore();
  const file = homeFiles(home).tasks;
  const projects = () => readStore(file, (reads) => reads.listProjects().map((p) => p.name));
  // Reads of the store file itself: the backup taken at the server's start reads its copy when it is done.
  const fileReads = () => vi.mocked(readCopy).mock.calls.filter(([read]) => read === file).length;

  await server.store.createProject({ name: 'shop' });
  expect(projects()).toEqual(['shop']);
  expect(fileReads()).toBe(0);

  await close();
  expect(projects()).toEqual(['shop']);
  expect(fileReads()).toBe(1);
});

it("places a task tool call in the session whose agent holds the call's connection, and notes that connection", async () => {
  const { home, cache, server, token } = await serveStore();
  await server.store.createProject({ name: 'shop' });
  await server.store.createProject({ name: 'elsewhere' });
  // Another agent's live session, seen first, and this process as the agent of the session in shop.
  const other = spawn('sleep', ['30'], { stdio: 'ignore' });
  cleanups.push(() => other.kill());
  const at = Date.now();
  registerSession(cache, { sessionId: 'other', project: 'elsewhere', branch: 'main', cwd: '/e', pid: other.pid, at });
  registerSession(cache, { sessionId: 'mine', project: 'shop', branch: 'main', cwd: '/s', pid: process.pid, at });

  const client = await connectHttp(`${server.url}?tools=session`, token);
  cleanups.push(() => client.close());
  await client.listTools();
  // The sockets this process holds once its listing is answered: the connection it came on is among them.
  const held = socketInodes(process.pid);
  looked.length = 0;
  const added = await call(client, 'add_task', { title: 'Refund flow' });
  expect(JSON.parse(textOf(added))).toMatchObject({ project: 'shop' });
  // The connection is named by the socket it was admitted with: what is read is the live sessions' own descriptors.
  expect(looked).toContain(process.pid);
  expect(looked.every((pid) => pid === process.pid || pid === other.pid)).toBe(true);
  // The connection was noted as it was admitted and as it was answered its listing, by the same socket, which this
  // process holds.
  const noted = readFileSync(homeFiles(home).toolsClients, 'utf8').split('\n').filter(Boolean);
  const listed = noted.filter((line) => line.startsWith(TOOLS_LISTED_PREFIX));
  expect(listed.length).toBeGreaterThan(0);
  expect(noted.length).toBeGreaterThan(listed.length);
  expect(noted.every((line) => held?.has(line.replace(TOOLS_LISTED_PREFIX, '')))).toBe(true);
});
