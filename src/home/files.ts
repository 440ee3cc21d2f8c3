// Every file taskhooks keeps in its state directory, named once (docs/internals.md, "State directory").
import path from 'node:path';
import { logDir } from '../log/logger.js';

export function homeFiles(home: string) {
  return {
    /** The user's config. */
    config: path.join(home, 'config.json'),
    /** The project files the user trusted, each with the hash of the content trusted. */
    trust: path.join(home, 'trusted.json'),
    /** The hooks' validated-config cache (holds the config files' secrets, never the environment's). */
    configCache: path.join(home, 'config-cache.json'),
    /** The random key of the HMAC that stands for environment values in the config cache's keys. */
    configCacheKey: path.join(home, 'config-cache.key'),
    /** The shared cache: snapshots, git state, tokens, breakers, projects, alerts. */
    cache: path.join(home, 'cache.db'),
    /** The embedded store: the only copy of the user's tasks. */
    tasks: path.join(home, 'tasks.db'),
    /** Checked copies of tasks.db (0700; each 0600), taken by the monitor and before migrations. */
    backups: path.join(home, 'backups'),
    /** Install's backups of the files it changed that hold a secret (0700; each 0600), never kept beside them. */
    fileBackups: path.join(home, 'file-backups'),
    /** A lock per file install or trust is rewriting, a user's or this directory's (0700; see files/write-lock.ts). */
    fileLocks: path.join(home, 'file-locks'),
    /** What the last restore of tasks.db from a backup found and did, for `doctor`. */
    recovery: path.join(home, 'recovery.json'),
    /** One-line notices waiting to be told once, a folder per channel (see notices.ts). */
    notices: path.join(home, 'notices'),
    /** The monitor's lock, holding its pid. */
    lock: path.join(home, 'monitor.pid'),
    /** Held by the hook that starts the monitor when none runs, while others wait for it (see monitor-starter.ts). */
    starter: path.join(home, 'monitor.starting'),
    /** What a running monitor publishes about itself. */
    info: path.join(home, 'monitor.json'),
    /** Where the store server serves the embedded store, with its token: named as earlier monitors still write it. */
    storeServer: path.join(home, 'embedded.json'),
    /** Touched to wake the monitor: something changed that it should fetch again now (see signals.ts). */
    signals: path.join(home, 'signals'),
    /** The pid of each session's newest waiting rewake watch, a file per session: an older one sees it and ends. */
    watchers: path.join(home, 'watchers'),
    /** Left by a hook that found the disk full (empty: it takes no space), so the first to find room says so once. */
    diskFull: path.join(home, 'disk-full'),
    /** The served hooks' token, good for the hook port only (see endpoint.ts). */
    hookToken: path.join(home, 'hook-token'),
    /** What `taskhooks dashboard` asks for a sign-in link with: in no session's environment, unlike the hook token. */
    dashboardToken: path.join(home, 'dashboard-token'),
    /** The store server's token, good for its port only: what a session's task tools send. */
    storeToken: path.join(home, 'store-token'),
    /** Touched at a store server's first tools/list: a SessionStart that started it waits (session-start-tools.ts). */
    toolsListed: path.join(home, 'tools-listed'),
    /** The ports last written into installed files, which the monitor takes back first (see endpoint.ts). */
    endpoint: path.join(home, 'endpoint.json'),
    /** The folders install made for the files it wrote: uninstall removes only those, once empty. */
    installFolders: path.join(home, 'install-folders.json'),
    /** The monitor's served hooks without a token: only the directory's owner reaches it (see endpoint.ts). */
    monitorSocket: path.join(home, 'monitor.sock'),
    /** The plugin's hook tool as an MCP stream per connection (src/monitor/serve/mcp-socket.ts), likewise the owner's only. */
    mcpSocket: path.join(home, 'mcp.sock'),
    serverToken: path.join(home, 'server-token'),
    logs: logDir(home),
    monitorLog: path.join(logDir(home), 'monitor.log'),
    monitorStderr: path.join(logDir(home), 'monitor.stderr'),
  };
}

/** What a running monitor publishes about itself in monitor.json. */
export interface MonitorInfo {
  pid: number;
  startedAt: number;
  /** null when the port could not be bound: hookProblem says why. */
  hookPort: number | null;
  hookProblem?: string;
  /** The port it was to serve on, held by another process: hooks installed to post there reach that process. */
  hookPortHeld?: number;
  /** The Unix socket serving the same routes without a token (src/home/endpoint.ts), where there is one. */
  hookSocket?: string;
  /** Where the plugin's bridge finds the monitor's hook tool (mcp.sock), when it listens. */
  mcpSocket?: string;
  /** The package version, build and folder of the code it runs: commands of another build name it and replace it. */
  version?: string;
  /** A hash of the built code (scripts/bundles.mjs stampBuild); absent from monitors built before there were ids. */
  buildId?: string;
  /** The git commit built from, where the build had one. */
  commit?: string;
  codeRoot?: string;
  storeServerUrl?: string;
  taskSchedule: string;
  gitSchedule: string;
}
