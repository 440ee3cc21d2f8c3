import type { Command } from '../command.js';

export const installCommands: Command[] = [];
