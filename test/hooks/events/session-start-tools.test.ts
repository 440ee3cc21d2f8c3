// How a SessionStart that waits for its agent's task tools looks: /proc (the machine's socket table and the agent's
// descriptors) is read only when the store server has noted another tools/list answer, not at every look.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { homeFiles } from '../../../src/home/files.js';

const ports = vi.hoisted(() => ({ own: [] as number[] | undefined, reads: 0 }));
vi.mock('../../../src/util/port-holder.js', async (actual) => ({
  ...(await actual<typeof import('../../../src/util/port-holder.js')>()),
  connectionPorts: () => {
    ports.reads++;
    return ports.own;
  },
}));
// The monitor as monitor.json and its lock tell it: serving the store at one port.
vi.mock('../../../src/home/monitor-info.js', async (actual) => ({
  ...(await actual<typeof import('../../../src/home/monitor-info.js')>()),
  readMonitorInfo: () => ({ storeServerUrl: 'http://127.0.0.1:26955/mcp' }),
}));
const { listedLooker } = await import('../../../src/hooks/events/session-start-tools.js');

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'th-tools-look-'));
  ports.own = [];
  ports.reads = 0;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const note = (port: number) => appendFileSync(homeFiles(home).toolsListed, `${port}\n`);

it('reads /proc once per new answer the store server noted, and finds the session by its own port', () => {
  const look = listedLooker(home, 4242);
  // Nothing noted yet: nothing to look for.
  expect(look()).toBe(false);
  expect(ports.reads).toBe(0);
  // Another client's answer: read once, then not again while nothing new is noted.
  note(50001);
  expect([look(), look(), look()]).toEqual([false, false, false]);
  expect(ports.reads).toBe(1);
  // The session's own agent answered on its connection from port 50002.
  ports.own = [50002];
  note(50002);
  expect(look()).toBe(true);
  expect(ports.reads).toBe(2);
});

it('counts any answer where /proc cannot tell whose connection it was', () => {
  ports.own = undefined;
  note(50001);
  expect(listedLooker(home, 4242)()).toBe(true);
});
