// A minimal hook cycle (open the cache, read a snapshot, print JSON) against bare `node -e 0`, then on each SQLite
// library (`npm run bench foundation` on Node 24 compares node:sqlite with better-sqlite3).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareToBareNode, node, report, root, runOnce } from './lib.mjs';

const home = mkdtempSync(path.join(os.tmpdir(), 'th-bench-'));
// However this process ends (a failed run throws), it leaves no directory behind.
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
const env = { ...process.env, TASKHOOKS_HOME: home };
const script = path.join(root, 'dist/bench/minimal-hook.js');
runOnce(node, [script, '--seed'], { env });
// The timed cycle must really read the seeded snapshot, or the figure measures an empty cache.
const { stdout } = runOnce(node, [script], { env });
if (!JSON.parse(stdout).hookSpecificOutput.additionalContext.includes('Task 4'))
  throw new Error(`minimal hook printed no tasks: ${stdout}`);
report('minimal hook cycle / bare node', compareToBareNode({ cmd: node, args: [script], env }));

// The same cycle on each SQLite library this Node can load (src/sqlite/driver.ts), on a cache each has written.
for (const driver of ['node', 'better-sqlite3']) {
  const withDriver = { ...env, TASKHOOKS_SQLITE: driver, TASKHOOKS_HOME: path.join(home, driver) };
  try {
    runOnce(node, [script, '--seed'], { env: withDriver });
  } catch {
    console.log(`minimal hook cycle, ${driver}: not loadable on Node ${process.version}`);
    continue;
  }
  report(
    `minimal hook cycle, ${driver} / bare node`,
    compareToBareNode({ cmd: node, args: [script], env: withDriver }),
  );
}
