// `npm run test:node-sqlite [-- --node=22] [files…]`: the SQLite, cache and task store suites on node:sqlite
// (TASKHOOKS_SQLITE=node) of Node 24 (or 22), as the test run installs it into .peers/ (test/peers.json's node-24).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const major = args.find((a) => a.startsWith('--node='))?.slice('--node='.length) ?? '24';
const name = `node-${major}`;
const line = JSON.parse(readFileSync(path.join(root, 'test/peers.json'), 'utf8')).peers[name];
if (!line) {
  console.error(`test:node-sqlite: test/peers.json has no ${name} (node-22 and node-24 are there)`);
  process.exit(1);
}
const node = path.join(root, '.peers', `${name}@${line.version}`, 'node_modules', name, line.entry);
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
const files = args.filter((a) => !a.startsWith('--node='));
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
