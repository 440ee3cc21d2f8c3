// How a hot-path bundle tells its entry file (src/hooks/hosts/code-cache.ts) that this run reached the real work. V8's
// cached code holds only the functions compiled by the time it is made, so a cache made by a run that exited early (a
// Bash command that neither commits nor pushes, a read-only action) would leave the working path to compile every
// time. The entry file and the bundle are compiled apart and share no module, only the global object: hence a
// registered symbol there.
const WORTH_CACHING = Symbol.for('taskhooks.code-cache.worth-caching');

/** Called once the hook or status line has done its real work: the code compiled so far is worth caching. */
export function markCodeWorthCaching(): void {
  (globalThis as Record<symbol, unknown>)[WORTH_CACHING] = true;
}

export function codeWorthCaching(): boolean {
  return (globalThis as Record<symbol, unknown>)[WORTH_CACHING] === true;
}
