// How a SessionStart that waits for its agent's task tools looks: the agent's descriptors are read in /proc only when
// the store server has noted another connection, not at every look, and never the machine's socket table.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { homeFiles, TOOLS_LISTED_PREFIX } from '../../../src/home/files.js';

const sockets = vi.hoisted(() => ({ own: new Set<string>() as Set<string> | undefined, reads: 0 }));
vi.mock('../../../src/util/port-holder.js', async (actual) => ({
  ...(await actual<typeof import('../../../src/util/port-holder.js')>()),
  socketInodes: () => {
    sockets.reads++;
    return sockets.own;
  },
}));
const { toolsLooker } = await import('../../../src/hooks/events/session-start-tools.js');
const { UNNAMED_SOCKET } = await import('../../../src/util/port-holder.js');

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'th-tools-look-'));
  sockets.own = new Set();
  sockets.reads = 0;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** The store server admitted a connection whose client socket is `inode`. */
const note = (inode: string) => appendFileSync(homeFiles(home).toolsClients, `${inode}\n`);

const admitted = (look: () => { admitted: boolean }) => look().admitted;

it("reads the agent's sockets once per new connection the store server noted, and finds its own among them", () => {
  const look = toolsLooker(home, 4242);
  // Nothing noted yet: nothing to look for.
  expect(admitted(look)).toBe(false);
  expect(sockets.reads).toBe(0);
  // Another client's connection: read once, then not again while nothing new is noted.
  note('70001');
  expect([admitted(look), admitted(look), admitted(look)]).toEqual([false, false, false]);
  expect(sockets.reads).toBe(1);
  // The session's own agent connected: its socket is 70002.
  sockets.own = new Set(['12', '70002']);
  note('70002');
  expect(admitted(look)).toBe(true);
  expect(sockets.reads).toBe(2);
});

it('tells a connection admitted from one answered its tools/list, which is what the first request waits on', () => {
  const look = toolsLooker(home, 4242);
  sockets.own = new Set(['70002']);
  note('70002');
  expect(look()).toEqual({ admitted: true, listed: false });
  // Another client's listing is not this session's.
  note(`${TOOLS_LISTED_PREFIX}70001`);
  expect(look()).toEqual({ admitted: true, listed: false });
  note(`${TOOLS_LISTED_PREFIX}70002`);
  expect(look()).toEqual({ admitted: true, listed: true });
  // Unchanged since: the same answer, no read of the agent's sockets.
  const reads = sockets.reads;
  expect(look()).toEqual({ admitted: true, listed: true });
  expect(sockets.reads).toBe(reads);
});

it('looks again when a store server started anew notes as many connections as before, its own among them', () => {
  const look = toolsLooker(home, 4242);
  note('70001');
  expect(admitted(look)).toBe(false);
  sockets.own = new Set(['70002']);
  writeFileSync(homeFiles(home).toolsClients, '70002\n');
  expect(admitted(look)).toBe(true);
  expect(sockets.reads).toBe(2);
});

it("counts any connection where /proc cannot tell whose connection it was, or cannot read the agent's sockets", () => {
  note(UNNAMED_SOCKET);
  expect(admitted(toolsLooker(home, 4242))).toBe(true);
  expect(sockets.reads).toBe(0);
  rmSync(homeFiles(home).toolsClients);
  sockets.own = undefined;
  note('70001');
  expect(admitted(toolsLooker(home, 4242))).toBe(true);
});
