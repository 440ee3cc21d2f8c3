// Wrong credentials are answered slowly, so a token cannot be guessed: each answer to a wrong one is a guess told
// its result. Every wrong attempt waits (not every other one), an address's answers come at most one a second, and
// all wrong attempts share one slot twice a second, so many addresses guessing at once learn no faster than two
// guesses a second in all. A right credential is never held: it is checked before any of this.

/** Every wrong attempt waits at least this. */
const BASE_DELAY_MS = 500;
/** The answers to wrong attempts, from all addresses together, are at least this far apart: 2 a second. */
const GLOBAL_SPACING_MS = 500;
/** One address's answers to wrong attempts are at least this far apart. */
const ADDRESS_SPACING_MS = 1000;
/** Addresses remembered at once; past this, those whose next slot has passed are dropped. */
const PRUNE_ABOVE = 1024;

export interface FailureThrottle {
  /** Records a failed attempt from `address`; the milliseconds its answer must wait. */
  failed(address: string): number;
}

export function failureThrottle(now: () => number = Date.now): FailureThrottle {
  /** When each address's next wrong attempt may be answered at the earliest. */
  const addresses = new Map<string, number>();
  let globalNext = 0;
  return {
    failed(address) {
      const t = now();
      if (addresses.size > PRUNE_ABOVE) for (const [a, next] of addresses) if (next <= t) addresses.delete(a);
      const slot = Math.max(t + BASE_DELAY_MS, addresses.get(address) ?? 0, globalNext);
      addresses.set(address, slot + ADDRESS_SPACING_MS);
      globalNext = slot + GLOBAL_SPACING_MS;
      return slot - t;
    },
  };
}
