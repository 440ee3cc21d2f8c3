// A hook run as a node process, as install writes it: the bundled script of one event, by absolute quoted paths.
import { shellQuote } from './paths.js';

/** A hook's script, relative to the package root. */
export const hookScript = (name: string): string => `dist/hooks/${name}.js`;

export interface CommandHandler {
  type: 'command';
  command: string;
  timeout: number;
  async?: true;
  asyncRewake?: true;
}

export const commandHook = (node: string, script: string, timeout: number, async?: true): CommandHandler => ({
  type: 'command',
  command: `${shellQuote(node)} ${shellQuote(script)}`,
  timeout,
  ...(async ? { async } : {}),
});
