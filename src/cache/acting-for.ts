// Which session's call is running, for the store's writes to name as theirs (own-writes.ts). A module of its own: the
// hooks read own writes on every prompt and tool call, and need neither node:async_hooks nor the storage it makes.
import { AsyncLocalStorage } from 'node:async_hooks';

const writer = new AsyncLocalStorage<string>();

/** Runs `fn` as a call of session `sessionId` (none: as nobody's): a store write it makes is that session's own. */
export function actingFor<T>(sessionId: string | undefined, fn: () => T): T {
  return sessionId ? writer.run(sessionId, fn) : fn();
}

/** The session whose call is running here, if one is known. */
export const actor = (): string | undefined => writer.getStore();
