// Stdio task servers: nothing is downloaded at run time (Task Master runs as installed, or not at all, said in one
// line), and a server that times out is ended with every process it started.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { TaskSourceError } from '../../src/errors/task-source.js';
import { openSource } from '../../src/sources/open.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { silentLogger } from '../helpers/cache.js';
import { taskSourceFailure } from '../helpers/errors.js';
import { peer } from '../helpers/peers.js';
import { sourceOf } from '../helpers/settings.js';
import { goneWithin, hangingProgram } from '../helpers/pid.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function project(): { dir: string; cache: ReturnType<typeof openCache> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-stdio-'));
  const cache = openCache({ home: dir });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => cache.close());
  return { dir, cache };
}

const scope = (dir: string) => ({ projectRoot: dir, project: 'demo', branch: 'main' });

describe('Task Master as installed', () => {
  it('is not downloaded: with none installed, one line says how to install it, and nothing starts', async () => {
    const { dir, cache } = project();
    let failure: unknown;
    try {
      openSource({
        source: sourceOf({ source: { adapter: 'taskmaster' } }),
        home: dir,
        cache,
        log: silentLogger(),
        projectRoot: dir,
        env: { PATH: '/nonexistent-bin' },
      });
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(TaskSourceError);
    expect((failure as TaskSourceError).message).toBe('Task Master is not installed: no task-master-ai on the PATH');
    expect((failure as TaskSourceError).fix).toMatch(/npm install -g task-master-ai/);
  });

  it('runs the task-master-ai found on the PATH', async () => {
    const { dir, cache } = project();
    mkdirSync(path.join(dir, '.taskmaster', 'tasks'), { recursive: true });
    const task = {
      id: 1,
      title: 'Write parser',
      description: 'Parse the input',
      status: 'pending',
      priority: 'high',
      dependencies: [],
      details: '',
      testStrategy: '',
      subtasks: [],
    };
    writeFileSync(
      path.join(dir, '.taskmaster', 'tasks', 'tasks.json'),
      JSON.stringify({ master: { tasks: [task], metadata: { created: new Date().toISOString() } } }),
    );
    const bin = path.join(path.dirname(peer('task-master-ai').entry), '..', '..', '.bin');
    const src = openSource({
      source: sourceOf({ source: { adapter: 'taskmaster', timeoutMs: 90_000 } }),
      home: dir,
      cache,
      log: silentLogger(),
      projectRoot: dir,
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, HOME: dir },
    });
    cleanups.push(() => src.close());
    const { tasks } = await src.pending(scope(dir), { deadline: deadlineIn(90_000) });
    expect(tasks.map((t) => t.title)).toEqual(['Write parser']);
  });
});

describe('a stdio server that times out', () => {
  it('is ended with every process it started', async () => {
    const { dir, cache } = project();
    // A server that starts a process of its own and never answers initialize.
    const server = hangingProgram(dir);
    cleanups.push(server.kill);
    const src = openSource({
      source: sourceOf({
        source: { adapter: 'agenthub', command: process.execPath, args: [server.file], timeoutMs: 1500 },
      }),
      home: dir,
      cache,
      log: silentLogger(),
      projectRoot: dir,
    });
    cleanups.push(() => src.close());
    const err = await taskSourceFailure(src.pending(scope(dir)));
    expect(err.kind).toBe('timeout');
    await src.close();
    expect(await goneWithin(server.grandchild())).toBe(true);
  });
});
