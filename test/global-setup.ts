// Once per vitest run, before any test file: dist/ built from the current sources and the peer programs installed
// (test/peers.json).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { installPeers } from './helpers/peers.js';

export default async function setup(): Promise<void> {
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  await installPeers((line) => console.log(`peers: ${line}`));
}
