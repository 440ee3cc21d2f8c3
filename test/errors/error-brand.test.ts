// An error keeps its identity across bundles: dist/network.js compiles its own TaskSourceError class, so only the
// brand tells its errors apart from any other; and agenthub's failures are classified by the envelope's code.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../helpers/cache.js';
import { ROOT } from '../helpers/hooks.js';
import { openCache } from '../../src/cache/cache.js';
import { isTaskSourceError, TaskSourceError } from '../../src/errors/task-source.js';
import { agenthubSource } from '../../src/sources/agenthub/source.js';
import type { ToolSession } from '../../src/resilience/tool-session.js';
import { deadlineIn } from '../../src/util/deadline.js';

describe('TaskSourceError across bundles', () => {
  it("is recognised by the hooks' helper when dist/network.js made it, where instanceof is not", async () => {
    const network = (await import(
      pathToFileURL(path.join(ROOT, 'dist/network.js')).href
    )) as typeof import('../../src/network/index.js');
    const home = mkdtempSync(path.join(os.tmpdir(), 'th-brand-'));
    const cache = openCache({ home });
    try {
      const failing = {
        pending: async () => Promise.reject(new Error('connection refused')),
        server: () => 'http://127.0.0.1:9/mcp',
      };
      const scope = { project: 'demo', branch: 'main', projectRoot: home };
      const err: unknown = await network
        .snapshotFrom(failing as never, {
          sourceKey: 'k',
          cache,
          log: silentLogger(),
          scope,
          deadline: deadlineIn(1000),
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err instanceof TaskSourceError).toBe(false);
      expect(isTaskSourceError(err)).toBe(true);
      expect(isTaskSourceError(new Error('plain'))).toBe(false);
      expect(isTaskSourceError({ kind: 'auth', short: 'looks like one' })).toBe(false);
    } finally {
      cache.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('agenthub failures', () => {
  async function failWith(error: unknown): Promise<TaskSourceError> {
    const home = mkdtempSync(path.join(os.tmpdir(), 'th-brand-'));
    const cache = openCache({ home });
    const toolSession = {
      call: async () => ({ status: 'failure', success: false, error }),
      server: () => 'http://127.0.0.1:9/mcp',
    } as unknown as ToolSession;
    try {
      const source = agenthubSource(toolSession, { cache, defaultDeadlineMs: 1000, unknownProjectNote: (p) => p });
      const err: unknown = await source
        .pending({ project: 'demo', branch: 'main', projectRoot: home }, { deadline: deadlineIn(1000) })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      if (!isTaskSourceError(err)) throw new Error(`not a TaskSourceError: ${String(err)}`);
      return err;
    } finally {
      cache.close();
      rmSync(home, { recursive: true, force: true });
    }
  }

  it("are classified by the envelope's code, not its words", async () => {
    expect((await failWith({ message: 'no such thing', code: 'NOT_FOUND' })).kind).toBe('not_found');
    expect((await failWith({ message: 'lookup of project not found in index', code: 'INTERNAL_ERROR' })).kind).toBe(
      'server',
    );
  });

  it('fall back to the words only when the server gives no code', async () => {
    expect((await failWith('Project not found')).kind).toBe('not_found');
    expect((await failWith({ message: 'Project not found' })).kind).toBe('not_found');
  });
});
