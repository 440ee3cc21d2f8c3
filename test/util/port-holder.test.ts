// Who holds a loopback port, as SessionStart (src/util/port-holder.ts) and the guard Claude Code runs before it
// connects (hooks/store-guard.pl) read it: another user's listener on 127.0.0.1 or a wildcard is named by its uid, this
// user's and a free port are not, and both readers agree.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { foreignListener, loopbackListeners } from '../../src/util/port-holder.js';
import { NOBODY, squat } from '../helpers/second-user.js';
import { freePort } from '../helpers/serve.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const GUARD = path.resolve(import.meta.dirname, '../../hooks/store-guard.pl');

/** What the guard prints for a server at `port`. */
function guard(port: number): unknown {
  const run = spawnSync('perl', [GUARD], {
    env: { PATH: process.env.PATH ?? '', CLAUDE_CODE_MCP_SERVER_URL: `http://127.0.0.1:${port}/mcp` },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

async function listenHere(port: number, host: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return server;
}

describe('a port another user holds', () => {
  it('is named by its uid, and the guard replaces the token with a header that holds none', async () => {
    const port = await freePort();
    await squat(port, cleanups);
    expect(foreignListener(port)).toBe(NOBODY);
    expect(guard(port)).toEqual({ Authorization: `Bearer not-sent-to-uid-${NOBODY}` });
  });
});

describe.each([
  ['127.0.0.1', '127.0.0.1'],
  ['every IPv4 address', '0.0.0.0'],
  ['every address, IPv4 through IPv6', '::'],
])('this user listening on %s', (_, host) => {
  it('is no other user: the guard leaves the token as the entry has it', async () => {
    const port = await freePort();
    await listenHere(port, host);
    expect(loopbackListeners(port)).toEqual([process.getuid?.()]);
    expect(foreignListener(port)).toBeUndefined();
    expect(guard(port)).toEqual({});
  });
});

it('a port nothing listens on has no holder, and a URL that is not the store server’s is left alone', async () => {
  const port = await freePort();
  expect(loopbackListeners(port)).toEqual([]);
  expect(foreignListener(port)).toBeUndefined();
  expect(guard(port)).toEqual({});
  const other = spawnSync('perl', [GUARD], { env: { CLAUDE_CODE_MCP_SERVER_URL: 'https://example.com/mcp' } });
  expect(JSON.parse(other.stdout.toString())).toEqual({});
});
