// Every file taskhooks keeps in its state directory, named once (docs/internals.md, "State directory").
import path from 'node:path';
import { logDir } from '../log/logger.js';

// One short call per entry, not path.join: the hooks' bundles hold this list.
const at = (home: string, name: string): string => path.join(home, name);

/** A line of tools-clients naming a tools/list answer; the other lines name admitted connections. */
export const TOOLS_LISTED_PREFIX = 'listed ';

function filesIn(home: string) {
  return {
    /** The user's config. */
    config: at(home, 'config.json'),
    /** The project files the user trusted, each with the hash of the content trusted. */
    trust: at(home, 'trusted.json'),
    /** The hooks' validated-config cache (holds the config files' secrets, never the environment's). */
    configCache: at(home, 'config-cache.json'),
    /** The random key of the HMAC that stands for environment values in the config cache's keys. */
    configCacheKey: at(home, 'config-cache.key'),
    /** The shared cache: snapshots, git state, tokens, breakers, projects, alerts. */
    cache: at(home, 'cache.db'),
    /** The embedded store: the only copy of the user's tasks. */
    tasks: at(home, 'tasks.db'),
    /** Checked copies of tasks.db (0700; each 0600), taken by the monitor and before migrations. */
    backups: at(home, 'backups'),
    /** Install's backups of the files it changed that hold a secret (0700; each 0600), never kept beside them. */
    fileBackups: at(home, 'file-backups'),
    /** A lock per file install or trust is rewriting, a user's or this directory's (0700; see files/write-lock.ts). */
    fileLocks: at(home, 'file-locks'),
    /** What the last restore of tasks.db from a backup found and did, for `doctor`. */
    recovery: at(home, 'recovery.json'),
    /** One-line notices waiting to be told once, a folder per channel (see notices.ts). */
    notices: at(home, 'notices'),
    /** Where the store server serves the embedded store, with its token: named as earlier monitors still write it. */
    storeServer: at(home, 'embedded.json'),
    /** Touched to wake the monitor: something changed that it should fetch again now (see signals.ts). */
    signals: at(home, 'signals'),
    /** The pid of each session's newest waiting rewake watch, a file per session: an older one sees it and ends. */
    watchers: at(home, 'watchers'),
    /** Left by a hook that found the disk full (empty: it takes no space), so the first to find room says so once. */
    diskFull: at(home, 'disk-full'),
    /** The served hooks' token, good for the hook port only (see endpoint.ts). */
    hookToken: at(home, 'hook-token'),
    /** What `taskhooks dashboard` asks for a sign-in link with: in no session's environment, unlike the hook token. */
    dashboardToken: at(home, 'dashboard-token'),
    /** The store server's token, good for its port only: what a session's task tools send. */
    storeToken: at(home, 'store-token'),
    /**
     * The connections a store server admitted in its first minute and the tools/list it answered them
     * (TOOLS_LISTED_PREFIX), by client socket, which SessionStart waits for.
     */
    toolsClients: at(home, 'tools-clients'),
    /** The ports last written into installed files, which the monitor takes back first (see endpoint.ts). */
    endpoint: at(home, 'endpoint.json'),
    /** The folders install made for the files it wrote: uninstall removes only those, once empty. */
    installFolders: at(home, 'install-folders.json'),
    serverToken: at(home, 'server-token'),
    logs: logDir(home),
    ...monitorFilesIn(home),
  };
}

/** The monitor's own files, and those of its start. */
function monitorFilesIn(home: string) {
  return {
    /** The monitor's lock, holding its pid. */
    lock: at(home, 'monitor.pid'),
    /** Held by the hook that starts the monitor when none runs, while others wait for it (see monitor-starter.ts). */
    starter: at(home, 'monitor.starting'),
    /** A folder: the perl clients' mark that a herd's first session found no monitor (hooks/monitor-wait.pl). */
    starterMark: at(home, 'monitor.wanted'),
    /** What a running monitor publishes about itself. */
    info: at(home, 'monitor.json'),
    /** The monitor's served hooks without a token: only the directory's owner reaches it (see endpoint.ts). */
    monitorSocket: at(home, 'monitor.sock'),
    /** The plugin's hook tool as an MCP stream per connection (src/monitor/serve/mcp-socket.ts), likewise the owner's only. */
    mcpSocket: at(home, 'mcp.sock'),
    monitorLog: path.join(logDir(home), 'monitor.log'),
    monitorStderr: path.join(logDir(home), 'monitor.stderr'),
  };
}

export type HomeFiles = Readonly<ReturnType<typeof filesIn>>;
const named = new Map<string, HomeFiles>();

/** Every file of the state directory `home`, named once a process: `tasks add` asks ten times, 330 cold path joins. */
export function homeFiles(home: string): HomeFiles {
  let files = named.get(home);
  if (!files) named.set(home, (files = Object.freeze(filesIn(home))));
  return files;
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
