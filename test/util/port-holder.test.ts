// Who holds a loopback port and whose process opened a connection, as SessionStart and the store server
// (src/util/port-holder.ts) read them in /proc: another user's listener on 127.0.0.1 or a wildcard is named by its uid,
// this user's and a free port are not; a connection's client is named by its user and by its socket, which its process
// holds.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectionOwner,
  foreignListener,
  loopbackListeners,
  socketInodes,
  type ConnectionOwner,
} from '../../src/util/port-holder.js';
import { NOBODY, postAsSecondUser, squat } from '../helpers/second-user.js';
import { freePort } from '../helpers/serve.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listenHere(port: number, host: string, onConnection?: (socket: Socket) => void): Promise<Server> {
  const server = createServer();
  const sockets: Socket[] = [];
  server.on('connection', (socket) => sockets.push(socket));
  if (onConnection) server.on('connection', onConnection);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return server;
}

describe('a port another user holds', () => {
  it('is named by its uid', async () => {
    const port = await freePort();
    await squat(port, cleanups);
    expect(foreignListener(port)).toBe(NOBODY);
  });
});

describe.each([
  ['127.0.0.1', '127.0.0.1'],
  ['every IPv4 address', '0.0.0.0'],
  ['every address, IPv4 through IPv6', '::'],
])('this user listening on %s', (_, host) => {
  it('is no other user', async () => {
    const port = await freePort();
    await listenHere(port, host);
    expect(loopbackListeners(port)).toEqual([process.getuid?.()]);
    expect(foreignListener(port)).toBeUndefined();
  });
});

it('a port nothing listens on has no holder', async () => {
  const port = await freePort();
  expect(loopbackListeners(port)).toEqual([]);
  expect(foreignListener(port)).toBeUndefined();
});

describe('a connection a server accepted', () => {
  it("is named by its client's user, another user's then this user's own, and by the socket its client holds", async () => {
    const port = await freePort();
    const owners: Array<Promise<ConnectionOwner | 'untold' | undefined>> = [];
    const held: Array<Set<string> | undefined> = [];
    await listenHere(port, '127.0.0.1', (socket) => {
      const answer = () => {
        held.push(socketInodes(process.pid));
        socket.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n');
      };
      owners.push(connectionOwner(port, socket.remotePort ?? -1).finally(answer));
    });
    expect(await postAsSecondUser(`http://127.0.0.1:${port}/`, {}, '')).toEqual({ status: 204, text: '' });
    const mine = connect(port, '127.0.0.1');
    await new Promise((resolve) =>
      mine
        .on('close', resolve)
        .on('error', () => undefined)
        .resume(),
    );
    const [theirs, ours] = await Promise.all(owners);
    expect([theirs, ours]).toMatchObject([{ uid: NOBODY }, { uid: process.getuid?.() }]);
    // This process holds its own client's socket while connected, not the other user's client's.
    const inode = (o: typeof ours) => (typeof o === 'object' ? o.inode : 'none');
    expect([held[0]?.has(inode(theirs)), held[1]?.has(inode(ours))]).toEqual([false, true]);
  });

  it('is untold on a port of no listener (no table of this machine speaks for it), and unlisted once gone', async () => {
    const port = await freePort();
    expect(await connectionOwner(port, 1)).toBe('untold');
    await listenHere(port, '127.0.0.1');
    expect(await connectionOwner(port, 1)).toBeUndefined();
  });
});
