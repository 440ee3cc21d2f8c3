import type { Command } from '../command.js';

export const contextCommands: Command[] = [];
