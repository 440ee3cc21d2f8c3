// A program as a task source's transport, behind the same breaker as an MCP server: what a trial run after the
// cooldown does to it, and how a program that cannot start is named.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBreaker, writeBreaker } from '../../src/cache/breakers.js';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { programRunner, type ProgramTarget } from '../../src/sources/program.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { silentLogger } from '../helpers/cache.js';
import { taskSourceFailure } from '../helpers/errors.js';

const policy = { breakerThreshold: 2, breakerCooldownMs: 400 };

let home: string;
let cache: Cache;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'th-program-'));
  cache = openCache({ home });
});

afterEach(() => {
  cache.close();
  rmSync(home, { recursive: true, force: true });
});

const target = (command: string, args: string[] = []): ProgramTarget => ({
  server: `cli:${[command, ...args].join(' ')}`,
  command,
  args,
  env: {},
});

/** The breaker of `server` open long enough ago that the next run is its half-open trial. */
function cooledDown(server: string): void {
  const past = Date.now() - policy.breakerCooldownMs - 50;
  cache.write(() =>
    writeBreaker(cache, {
      server,
      state: 'open',
      failures: 2,
      openedAt: past,
      lastError: 'timed out',
      lastErrorAt: past,
    }),
  );
}

describe('a program behind its breaker', () => {
  it('a trial that times out opens the breaker again', async () => {
    const t = target(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    cooledDown(t.server);
    const runner = programRunner(t, { cache, log: silentLogger(), policy });
    const err = await taskSourceFailure(runner.run([], { cwd: home, deadline: deadlineIn(300) }));
    expect(err.kind).toBe('timeout');
    expect(readBreaker(cache, t.server)).toMatchObject({ state: 'open', failures: 3 });
  });

  it('a trial that cannot start the program is no failure of a flaky program: the breaker closes, as for a server that answers no', async () => {
    const missing = path.join(home, 'no-such-backlog');
    const t = target(missing, ['--plain']);
    cooledDown(t.server);
    const runner = programRunner(t, { cache, log: silentLogger(), policy });
    const err = await taskSourceFailure(runner.run(['task', 'list'], { cwd: home, deadline: deadlineIn(5000) }));
    expect(err).toMatchObject({ kind: 'config', short: 'command not found', place: t.server, transient: false });
    expect(err.message).toBe(`Task source unavailable: cannot start ${missing} (command not found)`);
    expect(readBreaker(cache, t.server)).toMatchObject({ state: 'closed', failures: 0 });
  });
});
