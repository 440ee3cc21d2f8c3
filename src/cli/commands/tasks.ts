import type { Command } from '../command.js';

export const tasksCommands: Command[] = [];
