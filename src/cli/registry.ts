// Every area of taskhooks contributes its commands here; each list lives beside the code it drives.
import type { Command } from './command.js';
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

export const COMMANDS: readonly Command[] = [
  ...installCommands,
  ...trustCommands,
  ...monitorCommands,
  ...serverCommands,
  ...tasksCommands,
  ...storeCommands,
  ...contextCommands,
  ...doctorCommands,
  ...cacheCommands,
  ...configCommands,
];
