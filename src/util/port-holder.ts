// Loopback sockets as /proc/net/tcp and tcp6 list them (Linux): who listens where a connection to 127.0.0.1:<port>
// arrives, by uid, so a port another local user bound first is known before a byte is sent there; whose process
// opened a connection a server accepted (both ends of a loopback connection are this machine's, each with its uid);
// and whether a process holds a given socket. Each table read walks the kernel's whole connection table (about 5 ms
// here, idle or not), so a connection's client is read once, as it is accepted, and named after by its socket's inode.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The local addresses a connection to 127.0.0.1 reaches, as /proc writes them: itself and the wildcards. */
const REACHED = /^(?:0100007F|0{8}|0{32}|0{16}FFFF00000100007F)$/;
/** /proc's state of a listening socket. */
const LISTEN = '0A';
/** /proc's state of a connection already over: its row names no process's user (uid 0). */
const TIME_WAIT = '06';
const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

interface Row {
  address: string;
  port: number;
  remotePort: number;
  state: string;
  uid: number;
  inode: string;
}

/** A table's rows. Each: sl, local address:port, remote address:port, state, queues, timers, retransmits, uid, …, inode. */
function rowsOf(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const [address = '', port = ''] = (f[1] ?? '').split(':');
    const remotePort = (f[2] ?? '').split(':')[1] ?? '';
    if (f.length < 10) continue;
    rows.push({
      address,
      port: Number.parseInt(port, 16),
      remotePort: Number.parseInt(remotePort, 16),
      state: f[3] ?? '',
      uid: Number(f[7]),
      inode: f[9] ?? '',
    });
  }
  return rows;
}

/** Every TCP socket of this network namespace; undefined where /proc cannot tell (no Linux). */
function tcpRows(): Row[] | undefined {
  let rows: Row[] | undefined;
  for (const table of TABLES) {
    try {
      rows = [...(rows ?? []), ...rowsOf(readFileSync(table, 'latin1'))];
    } catch {
      // no IPv6, or no /proc
    }
  }
  return rows;
}

/** The uids of the sockets listening where 127.0.0.1:`port` arrives; undefined where /proc cannot tell (no Linux). */
export function loopbackListeners(port: number): number[] | undefined {
  return tcpRows()
    ?.filter((r) => r.state === LISTEN && r.port === port && REACHED.test(r.address))
    .map((r) => r.uid);
}

/** The uid of another user's process listening where 127.0.0.1:`port` arrives; undefined when none does or no one can tell. */
export function foreignListener(port: number, uid: number | undefined = process.getuid?.()): number | undefined {
  if (uid === undefined) return undefined;
  return loopbackListeners(port)?.find((u) => u !== uid);
}

/** What stands for a connection's client socket where /proc could not name it: it may be any process's. */
export const UNNAMED_SOCKET = 'unnamed';

/** Who opened a connection a server accepted: the user of its process, and the inode of its own end's socket. */
export interface ConnectionOwner {
  uid: number;
  /** What the opening process's descriptors name (`socket:[<inode>]`): see socketInodes. */
  inode: string;
}

/**
 * Who opened the connection to this machine's `serverPort` that comes from `clientPort` (the client's own end, as /proc
 * lists it); 'untold' where /proc cannot tell (no Linux, or tables that list neither that end nor the server's own
 * listener); undefined when that end is not listed (closed already), which no caller may read as its own user. Read
 * without blocking, IPv4's table first, and the IPv6 one only for a client it does not list.
 */
export async function connectionOwner(
  serverPort: number,
  clientPort: number,
): Promise<ConnectionOwner | 'untold' | undefined> {
  // node:fs/promises at the first connection: it loads readline and the REPL history along, which an idle monitor
  // (the store server imports this module) would otherwise hold from its start.
  const { readFile } = process.getBuiltinModule('node:fs/promises');
  let listed = false;
  for (const table of TABLES) {
    let rows: Row[];
    try {
      rows = rowsOf(await readFile(table, 'latin1'));
    } catch {
      continue; // no IPv6, or no /proc
    }
    const client = rows.find(
      (r) => r.port === clientPort && r.remotePort === serverPort && r.state !== LISTEN && r.state !== TIME_WAIT,
    );
    if (client) return { uid: client.uid, inode: client.inode };
    listed ||= rows.some((r) => r.state === LISTEN && r.port === serverPort);
  }
  return listed ? undefined : 'untold';
}

/**
 * The inodes of `pid`'s sockets, among them the ends connectionOwner names; undefined when the process is not this
 * user's to look into (or /proc cannot tell).
 */
export function socketInodes(pid: number): Set<string> | undefined {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const m = /^socket:\[(\d+)\]$/.exec(readLinkOrEmpty(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    }
  } catch {
    return undefined;
  }
  return inodes;
}

/**
 * Whether every socket listening where 127.0.0.1:`port` arrives is `pid`'s, a process of this user: only its owner
 * (or root) can list a process's descriptors, so another user's listener never passes.
 */
export function onlyListenerIs(pid: number, port: number, uid: number | undefined = process.getuid?.()): boolean {
  const inodes = socketInodes(pid);
  const rows = tcpRows()?.filter((r) => r.state === LISTEN && r.port === port && REACHED.test(r.address));
  if (!inodes || !rows || rows.length === 0 || uid === undefined) return false;
  return rows.every((r) => r.uid === uid && inodes.has(r.inode));
}

/** A descriptor closed between the listing and the read is no socket. */
function readLinkOrEmpty(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}
