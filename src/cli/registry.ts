// Every area of taskhooks contributes its commands here; each list lives beside the code it drives.
import type { Command } from './command.js';
import type { Group } from './help.js';
import { cacheCommands } from './commands/cache.js';
import { configCommands } from './commands/config.js';
import { serverCommands } from './commands/server.js';
import { tasksCommands } from './commands/tasks.js';
import { storeCommands } from './commands/store.js';
import { doctorCommands } from './commands/doctor.js';
import { contextCommands } from './commands/context.js';
import { monitorCommands } from './commands/monitor.js';
import { installCommands } from './commands/install.js';
import { trustCommands } from './commands/trust.js';
import { statuslineCommands } from './commands/statusline.js';
import { dashboardCommands } from './commands/dashboard.js';
import { sessionsCommands } from './commands/sessions.js';
import { watchCommands } from './commands/watch.js';

export const COMMANDS: readonly Command[] = [
  ...installCommands,
  ...trustCommands,
  ...monitorCommands,
  ...dashboardCommands,
  ...sessionsCommands,
  ...watchCommands,
  ...serverCommands,
  ...tasksCommands,
  ...storeCommands,
  ...contextCommands,
  ...statuslineCommands,
  ...doctorCommands,
  ...cacheCommands,
  ...configCommands,
];

/** What each group of commands is for: its --help and the top-level help show it. */
export const GROUPS: readonly Group[] = [
  {
    name: 'tasks',
    summary: 'Read and change the tasks of the configured task source (the embedded store unless one is set)',
  },
  {
    name: 'monitor',
    summary: 'The background monitor that keeps the cache fresh and serves hooks and the embedded server',
  },
  { name: 'cache', summary: 'Inspect or empty the shared cache in $TASKHOOKS_HOME/cache.db' },
];
