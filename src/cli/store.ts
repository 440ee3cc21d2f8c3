// The shared cache as one CLI command uses it: opened for a piece of work and always closed after it.
import { openStore, type Store } from '../cache/store.js';
import type { CliContext } from './command.js';

export function withStore<T>(ctx: CliContext, fn: (store: Store) => T): T {
  const store = openStore({ home: ctx.settings.home, log: ctx.log() });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}
