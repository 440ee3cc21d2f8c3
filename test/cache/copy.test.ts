// A hook of a newer build whose cache.db is behind its schema while a monitor of another build serves the state
// directory: it answers from a copy migrated in memory, saying why, and leaves the file as that monitor knows it.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { openCacheOrCopy } from '../../src/cache/copy.js';
import { MIGRATIONS } from '../../src/cache/migrations.js';
import { openSqlite } from '../../src/sqlite/index.js';
import { schemaVersionOf, silentLogger } from '../helpers/cache.js';
import { tempHome } from '../helpers/hooks.js';

const undo: Array<() => void> = [];
afterEach(() => {
  for (const u of undo.splice(0)) u();
});

it('reads a copy, migrated in memory, under a monitor of another build, and names it', () => {
  const { home, cleanup } = tempHome();
  undo.push(cleanup);
  const file = path.join(home, 'cache.db');
  // The file as the build before the last migration left it.
  openSqlite(file, { migrations: MIGRATIONS.slice(0, -1), privateFile: true }).close();
  // A process whose command line reads as a monitor's holds the lock, and says it runs 0.0.1.
  const monitor = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'monitor', 'run'], {
    env: { ...process.env, TASKHOOKS_HOME: home },
    stdio: 'ignore',
  });
  undo.push(() => monitor.kill('SIGKILL'));
  const pid = monitor.pid ?? 0;
  writeFileSync(path.join(home, 'monitor.pid'), JSON.stringify({ pid, startedAt: Date.now() }));
  writeFileSync(path.join(home, 'monitor.json'), JSON.stringify({ pid, version: '0.0.1', codeRoot: '/opt/old' }));

  expect(() => openCache({ home })).toThrow(
    `cache.db is at schema ${MIGRATIONS.length - 1} and this build moves it to ${MIGRATIONS.length}, but a monitor of another build holds it (pid ${pid}, taskhooks 0.0.1 (no build id) from /opt/old;`,
  );
  const cache = openCacheOrCopy({ home, log: silentLogger() });
  expect(cache.copy?.problem).toMatch(
    /^tasks as last cached, not refreshed: cache\.db is at schema \d+ .* a monitor of another build holds it .*; run `taskhooks monitor start`/,
  );
  cache.db.close();
  expect(schemaVersionOf(file)).toBe(MIGRATIONS.length - 1);
});
