import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors/user.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs that turns an unknown or malformed flag into one line saying what is wrong. */
export function parseFlags<O extends Options>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UserError(`${message} (usage: ${usage})`, 2);
  }
}
