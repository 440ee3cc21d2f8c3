// On SQLite a request's transaction stays open while its tool runs (see requests.ts), on the file's one connection in
// this process: every other call on the same file here waits for it to end, as a call from another process waits on
// SQLite's lock, while a call made inside the request runs at once, in its transaction.
import { AsyncLocalStorage } from 'node:async_hooks';

/** The file whose request the current call runs inside, if any. */
const inside = new AsyncLocalStorage<string>();
/** Per file, the end of the request under way. */
const underWay = new Map<string, Promise<void>>();

/** The end of the request of `file` under way that the current call must wait for, if any. */
const blocking = (file: string): Promise<void> | undefined =>
  inside.getStore() === file ? undefined : underWay.get(file);

/** Resolves once no request of `file` is under way, or at once inside one. */
export async function turnOf(file: string): Promise<void> {
  for (let busy = blocking(file); busy; busy = blocking(file)) await busy;
}

/** Runs `fn` as `file`'s request: alone on the file in this process until it ends. */
export async function asRequest<T>(file: string, fn: () => Promise<T>): Promise<T> {
  // Checked and taken with no await between: two requests never both find the file free.
  for (let busy = blocking(file); busy; busy = blocking(file)) await busy;
  let end = (): void => undefined;
  underWay.set(
    file,
    new Promise<void>((resolve) => {
      end = resolve;
    }),
  );
  try {
    return await inside.run(file, fn);
  } finally {
    underWay.delete(file);
    end();
  }
}
