// `npm run bench`: runs every bench/*.bench.mjs in name order, each in its own process, and prints their figures.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root, node } from './lib.mjs';

const only = process.argv[2];
const files = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only)))
  .sort();
const build = spawnSync(node, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
console.log(`taskhooks benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
let failed = 0;
for (const f of files) {
  console.log(`## ${f.replace('.bench.mjs', '')}`);
  const r = spawnSync(node, [path.join(root, 'bench', f)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed++;
  console.log('');
}
process.exit(failed ? 1 : 0);
