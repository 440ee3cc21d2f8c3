// `npm run test:node-sqlite [-- --node=24] [files…]`: the SQLite, cache and task store suites on node:sqlite
// (TASKHOOKS_SQLITE=node) of Node 22 (or 24), as the test run installs it into .peers/ (test/peers.json's node-22).
// `npm test` runs the whole suite on one supported Node; this covers the oldest line taskhooks supports.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { peerNode } from './suite-node.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const major = args.find((a) => a.startsWith('--node='))?.slice('--node='.length) ?? '22';
let node;
try {
  ({ node } = peerNode(root, `node-${major}`));
} catch (err) {
  console.error(`test:node-sqlite: ${err.message}`);
  process.exit(1);
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
