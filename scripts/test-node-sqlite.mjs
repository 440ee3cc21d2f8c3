// `npm run test:node-sqlite [files…]`: the SQLite, cache and task store suites on Node 24's node:sqlite
// (TASKHOOKS_SQLITE=node), with the Node the test run installs into .peers/ (test/peers.json's node-24).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const line = JSON.parse(readFileSync(path.join(root, 'test/peers.json'), 'utf8')).peers['node-24'];
const node = path.join(root, '.peers', `node-24@${line.version}`, 'node_modules', 'node-24', line.entry);
if (!existsSync(node)) {
  // Any vitest run installs the peers first; this one is quick.
  const setup = spawnSync('npx', ['vitest', 'run', 'test/sqlite/driver.test.ts'], { cwd: root, stdio: 'inherit' });
  if (setup.status !== 0 || !existsSync(node)) {
    console.error(
      `test:node-sqlite: no Node ${line.version} at ${node}; run \`npx vitest run test/sqlite\` to install it`,
    );
    process.exit(1);
  }
}
const files = process.argv.slice(2);
const suites = files.length
  ? files
  : [
      'test/sqlite',
      'test/cache',
      'test/server/store-sqlite.test.ts',
      'test/server/store-durability.test.ts',
      'test/server/store-recovery.test.ts',
      'test/server/held-file.test.ts',
      'test/server/concurrency.test.ts',
      'test/server/dependency-origins.test.ts',
      'test/monitor/wal-fold.test.ts',
      'test/monitor/backups.test.ts',
    ];
const run = spawnSync(node, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...suites], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TASKHOOKS_SQLITE: 'node' },
});
process.exit(run.status ?? 1);
