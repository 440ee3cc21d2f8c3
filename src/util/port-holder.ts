// Who holds a loopback port: the owner of each socket listening where a connection to 127.0.0.1:<port> arrives, read
// from /proc/net/tcp and tcp6 (Linux). A port another local user bound first shows with that user's uid, before any
// connection hands it a byte. hooks/store-guard.pl reads the same tables the same way, before Claude Code connects.
import { readFileSync } from 'node:fs';

/** The local addresses a connection to 127.0.0.1 reaches, as /proc writes them: itself and the wildcards. */
const REACHED = /^(?:0100007F|0{8}|0{32}|0{16}FFFF00000100007F)$/;
/** /proc's state of a listening socket. */
const LISTEN = '0A';
const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

/** The uids of the sockets listening where 127.0.0.1:`port` arrives; undefined where /proc cannot tell (no Linux). */
export function loopbackListeners(port: number): number[] | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const uids: number[] = [];
  let read = false;
  for (const table of TABLES) {
    let text: string;
    try {
      text = readFileSync(table, 'latin1');
    } catch {
      continue; // no IPv6, or no /proc
    }
    read = true;
    // Each row: sl, local address:port, remote address:port, state, queues, timers, retransmits, uid, timeout, inode.
    for (const row of text.split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      const [address, hex] = (f[1] ?? '').split(':');
      if (f[3] === LISTEN && hex === hexPort && REACHED.test(address ?? '')) uids.push(Number(f[7]));
    }
  }
  return read ? uids : undefined;
}

/** The uid of another user's process listening where 127.0.0.1:`port` arrives; undefined when none does or no one can tell. */
export function foreignListener(port: number, uid: number | undefined = process.getuid?.()): number | undefined {
  if (uid === undefined) return undefined;
  return loopbackListeners(port)?.find((u) => u !== uid);
}
