// Secrets must never reach a log line, whatever shape they arrive in: as a known key, inside an error
// message, or as a header value. Values registered here are scrubbed from every string logged.
const registered = new Set<string>();
// Names people give secrets: a key of ours, a header, an entry of a stdio server's env, a misspelt config key.
const SECRET_NAME = /secret|token|password|passwd|authorization|api[-_]?key|credential|cookie|assertion/i;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi;
const MASK = '[redacted]';

export function namedLikeSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

/** Every value registered so far: a child's environment is checked against them too. */
export function registeredSecrets(): ReadonlySet<string> {
  return registered;
}

export function scrubString(text: string): string {
  let out = text.replace(BEARER, (_m, scheme: string) => `${scheme} ${MASK}`);
  for (const secret of registered) if (out.includes(secret)) out = out.split(secret).join(MASK);
  return out;
}

/** A deep copy with secret-named keys masked and registered secrets removed from every string. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown };
    const out: Record<string, unknown> = { type: e.name, message: scrubString(e.message) };
    if (e.code !== undefined) out.code = e.code;
    if (e.stack) out.stack = scrubString(e.stack);
    if (e.cause !== undefined) out.cause = scrub(e.cause, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      namedLikeSecret(k) && v !== null && v !== undefined && v !== '' && typeof v !== 'boolean' && typeof v !== 'number'
        ? MASK
        : scrub(v, depth + 1);
  }
  return out;
}

/**
 * A copy of plain data a task server sent (a task, a list of them, a snapshot) with registered secrets removed from
 * every string: a server that echoes a credential in a title must not put it in a session's context or the cache.
 */
export function scrubData<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return scrubString(value) as T;
  if (value === null || typeof value !== 'object' || depth > 16) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => scrubData(v, depth + 1)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubData(v, depth + 1);
  return out as T;
}
