import type { Command } from '../command.js';

export const serverCommands: Command[] = [];
