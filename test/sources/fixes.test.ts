// A source's remedies stand beside its adapter: openSource puts them on the failures raised below it (the tool
// session, the MCP client) that carry only their kind's usual remedy, and leaves a failure's own remedy alone.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { isTaskSourceError, TaskSourceError, unavailable } from '../../src/errors/task-source.js';
import { ADAPTERS } from '../../src/sources/adapters.js';
import { fixedFor, withAdapterFixes } from '../../src/sources/fixes.js';
import { openSource } from '../../src/sources/open.js';
import { SOURCE_NAMES } from '../../src/sources/registry.js';
import type { TaskSource } from '../../src/sources/source.js';
import { silentLogger } from '../helpers/cache.js';
import { refusedUrl } from '../helpers/fault-server.js';
import { sourceOf } from '../helpers/settings.js';

const FIXES = { unavailable: 'start the one server', auth: 'give it the one key' };

const rejection = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('fixedFor', () => {
  it('replaces only the usual remedy of a kind the adapter knows', () => {
    const usual = unavailable('http://127.0.0.1:9/mcp', 'connection refused');
    const fixed = fixedFor(usual, FIXES) as TaskSourceError;
    expect(fixed).toMatchObject({ kind: 'unavailable', fix: 'start the one server', usualFix: false });
    expect(fixed.message).toBe(usual.message);
    expect(fixed.place).toBe(usual.place);
    expect(fixed.transient).toBe(true);

    const own = new TaskSourceError('unavailable', 'gone', { short: 'gone', fix: 'its own remedy' });
    expect(fixedFor(own, FIXES)).toBe(own);
    const otherKind = new TaskSourceError('server', 'failed', { short: 'failed' });
    expect(fixedFor(otherKind, FIXES)).toBe(otherKind);
    const plain = new Error('not ours');
    expect(fixedFor(plain, FIXES)).toBe(plain);
  });
});

describe('withAdapterFixes', () => {
  it('fixes what every operation throws or rejects with, and passes the rest through', async () => {
    const source = {
      adapter: 'agenthub',
      server: () => 'http://127.0.0.1:9/mcp',
      listTools: async () => {
        throw new TaskSourceError('auth', 'refused', { short: 'refused' });
      },
      get: () => {
        throw unavailable('http://127.0.0.1:9/mcp', 'connection refused');
      },
    } as unknown as TaskSource;
    const fixed = withAdapterFixes(source, FIXES);
    expect(fixed.adapter).toBe('agenthub');
    expect(fixed.server()).toBe('http://127.0.0.1:9/mcp');
    expect(fixed.remove).toBeUndefined();
    expect(await rejection(fixed.listTools())).toMatchObject({ kind: 'auth', fix: 'give it the one key' });
    expect(() => fixed.get('T-1')).toThrow(expect.objectContaining({ fix: 'start the one server' }));
  });
});

describe('openSource', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'th-fixes-'));
  const cache = openCache({ home });
  afterAll(() => {
    cache.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("gives a refused agenthub server the remedy agenthub's adapter knows", async () => {
    const url = await refusedUrl();
    const source = openSource({
      source: sourceOf({ source: { adapter: 'agenthub', servers: [url] }, auth: { token: 'a-token' } }),
      home,
      cache,
      log: silentLogger(),
      projectRoot: home,
      policy: { retries: 0 },
    });
    try {
      const err = await rejection(source.listTools());
      expect(isTaskSourceError(err) && err.kind).toBe('unavailable');
      expect((err as TaskSourceError).fix).toBe(ADAPTERS.agenthub.fixes?.unavailable);
      expect((err as TaskSourceError).fix).toContain('MCP_SERVER_URL');
    } finally {
      await source.close();
    }
  });

  it("keeps each adapter's remedies to its own source: none names another source's settings", () => {
    const others = (name: string) => SOURCE_NAMES.filter((n) => n !== name && n !== 'mcp');
    for (const name of SOURCE_NAMES) {
      const words = Object.values(ADAPTERS[name].fixes ?? {}).join('\n');
      for (const other of others(name)) expect(words, `${name}'s fixes`).not.toMatch(new RegExp(`\\b${other}\\b`));
    }
  });
});
