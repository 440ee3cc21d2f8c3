// Every area of taskhooks contributes its commands here; each list lives beside the code it drives. The registry
// holds what every listing and lookup needs (each command's words and summary); the rest of a command, its flags,
// help and run, is its area's module, loaded by import() only when that command is asked for: `taskhooks --help`
// loads no command at all, and `tasks list` only the tasks commands, never the monitor's code.
import type { Command } from './command.js';
import type { Group } from './help.js';

/** A command as the registry lists it. */
export interface CommandEntry {
  /** The command words, e.g. "cache stats". */
  name: string;
  /** The same one line its module's spec says (a test holds the two together). */
  summary: string;
  /** The whole command (flags, help, run), from its area's module. */
  load(): Promise<Command>;
}

/** One area's module and the commands it defines, by name and summary. */
export interface Area {
  load(): Promise<readonly Command[]>;
  commands: ReadonlyArray<readonly [name: string, summary: string]>;
}

export const AREAS: readonly Area[] = [
  {
    load: () => import('./commands/install.js').then((m) => m.installCommands),
    commands: [['install', 'Wire taskhooks into a coding agent for a project (hooks, task tools, monitor)']],
  },
  {
    load: () => import('./commands/uninstall.js').then((m) => m.uninstallCommands),
    commands: [['uninstall', 'Remove exactly what `taskhooks install` added']],
  },
  {
    load: () => import('./commands/trust.js').then((m) => m.trustCommands),
    commands: [
      [
        'trust',
        "Trust this repository's own taskhooks config and .mcp.json (shows what they do first); --revoke takes it back",
      ],
    ],
  },
  {
    load: () => import('./commands/monitor.js').then((m) => m.monitorCommands),
    commands: [
      [
        'monitor start',
        'Start the background monitor (detached) that keeps the cache fresh and serves hooks over HTTP',
      ],
      [
        'monitor stop',
        'Stop the monitor gracefully (the next session starts it again; forced to stop after a timeout)',
      ],
      ['monitor status', "Show whether the monitor runs, each project's last refresh, server health and cache stats"],
      ['monitor run', 'Run the monitor in the foreground (for systemd, launchd; Ctrl-C stops it)'],
      [
        'start',
        'Run the monitor in the foreground here (npm start): example tasks the first time, this directory registered, its session context shown',
      ],
    ],
  },
  {
    load: () => import('./commands/dashboard.js').then((m) => m.dashboardCommands),
    commands: [
      [
        'dashboard',
        "Open the monitor's web page: the board of tasks, the sessions and what they were told, sources, alerts",
      ],
    ],
  },
  {
    load: () => import('./commands/sessions.js').then((m) => m.sessionsCommands),
    commands: [
      ['sessions', 'List the live sessions of every agent taskhooks serves: worktree, branch, the task each holds'],
    ],
  },
  {
    load: () => import('./commands/watch.js').then((m) => m.watchCommands),
    commands: [
      ['watch', 'Print a line for each task change this Claude Code session has not been told of yet, until it ends'],
    ],
  },
  {
    load: () => import('./commands/server.js').then((m) => m.serverCommands),
    commands: [
      ['serve', 'Run the reference MCP task server over HTTP (POST /mcp, GET /health)'],
      ['mcp', "Serve the task store and taskhooks' hook tool over stdio (for a project's .mcp.json or the plugin)"],
    ],
  },
  {
    load: () => import('./commands/tasks.js').then((m) => m.tasksCommands),
    commands: [
      ['tasks list', 'List pending tasks of this project and branch (from the configured task source)'],
      ['tasks next', 'Show the next task to work on'],
      ['tasks show', 'Show one task, with its notes, completion summary and work records'],
      ['tasks forget', "Drop a task's work records"],
      ['tasks add', 'Add a task to this project: every branch lists it, or only this branch with --on-branch'],
      ['tasks start', 'Mark a task in progress'],
      ['tasks done', 'Mark a task done, optionally with a completion summary'],
      ['tasks block', 'Mark a task blocked, optionally saying why'],
      ['tasks reopen', 'Open a done, cancelled or blocked task again (back to todo)'],
      ['tasks edit', "Change a task's title, description, priority, due date or branch"],
      ['tasks note', 'Add a note to a task'],
      ['tasks delete', 'Delete a task (asks first unless --yes)'],
    ],
  },
  {
    load: () => import('./commands/store-admin.js').then((m) => m.storeCommands),
    commands: [
      ['tasks export', 'Write the whole task store as JSON'],
      ['tasks import', 'Restore an export into an empty task store, or merge it into one (--merge)'],
      ['tasks backup', 'Take a checked backup of the task store now (the monitor also takes them on its own)'],
      [
        'tasks restore',
        'List the task store backups, or restore one (the current store is moved aside, never deleted)',
      ],
      ['tasks undelete', 'Bring back a task deleted from the built-in store: that task alone, with its notes'],
    ],
  },
  {
    load: () => import('./commands/context.js').then((m) => m.contextCommands),
    commands: [
      ['context', 'Show exactly what the hooks would inject here, and why (cache age, source, which policy spoke)'],
    ],
  },
  {
    load: () => import('./commands/statusline.js').then((m) => m.statuslineCommands),
    commands: [
      ['statusline', 'Print the status line Claude Code shows: the task in progress, pending count, freshness'],
    ],
  },
  {
    load: () => import('./commands/doctor.js').then((m) => m.doctorCommands),
    commands: [
      ['doctor', 'Check config, cache, auth, the task server and hook installation, with a fix for each failure'],
    ],
  },
  {
    load: () => import('./commands/cache.js').then((m) => m.cacheCommands),
    commands: [
      ['cache stats', 'Show cache entries (valid, expired) and size on disk'],
      ['cache cleanup', 'Delete expired cache entries'],
      ['cache clear', 'Empty the cache (tasks, git state, tokens, breakers, metrics); registered projects stay'],
    ],
  },
  {
    load: () => import('./commands/config.js').then((m) => m.configCommands),
    commands: [
      ['config', 'Show the effective configuration, each value with where it came from (secrets masked)'],
      ['source', 'Show the task source this project uses, the rule that chose it, and what else was seen and not used'],
    ],
  },
];

export const COMMANDS: readonly CommandEntry[] = AREAS.flatMap((area) =>
  area.commands.map(([name, summary]) => ({
    name,
    summary,
    load: async () => {
      const command = (await area.load()).find((c) => c.name === name);
      if (!command) throw new Error(`taskhooks: the registry lists "${name}", which its module does not define`);
      return command;
    },
  })),
);

/** Every command whole, each area loaded: for the docs and the tests, never on a command's own path. */
export const loadCommands = (): Promise<Command[]> => Promise.all(COMMANDS.map((c) => c.load()));

/** What each group of commands is for: its --help and the top-level help show it. */
export const GROUPS: readonly Group[] = [
  {
    name: 'tasks',
    summary: 'Read and change the tasks of the configured task source (the built-in store unless one is set)',
  },
  {
    name: 'monitor',
    summary: 'The background monitor that keeps the cache fresh and serves hooks and the built-in store',
  },
  { name: 'cache', summary: 'Inspect or empty the shared cache in $TASKHOOKS_HOME/cache.db' },
];
