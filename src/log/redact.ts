// Secrets must never reach a log line, whatever shape they arrive in: as a known key, inside an error
// message, or as a header value. Values registered here are scrubbed from every string logged; so are credentials
// in URLs and, once their rules are loaded, tokens of a published format taskhooks was never told of. Text is
// normalised first (./normalize.ts): a secret split by an invisible character must not slip past here and be joined
// again by a later clean-up.
import { normalizeText } from './normalize.js';
import { SECRET_KEYWORDS } from './secret-keywords.js';

const registered = new Set<string>();
// Names people give secrets: a key of ours, a header, an entry of a stdio server's env, a misspelt config key.
const SECRET_NAME = /secret|token|password|passwd|authorization|api[-_]?key|credential|cookie|assertion/i;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi;
const MASK = '[redacted]';
// A URL's user part: `https://user:TOKEN@host/…` (anything with a password), or a token as the user of http(s).
// Greedy to the last `@` before the path, so a password holding `@` goes whole.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]+)@/gi;

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

/** A URL's credentials dropped (`https://host/…` stays); an ssh or git URL's bare user name (`ssh://git@`) is kept. */
function withoutUrlCredentials(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(URL_USERINFO, (all, scheme: string, userinfo: string) =>
    userinfo.includes(':') || /^https?:/i.test(scheme) ? scheme : all,
  );
}

// The token-format rules (./token-formats.ts, 35 KB of patterns) are loaded by `import()`, so a hook's bundle holds
// only their keywords: the CLI, the monitor and the network stack load them at once, a hook when its text needs them.
let tokenFormats: ((text: string, mask: string) => string) | undefined;

// A token worth masking is a long run of letters, digits, `_` and `-` (an AWS key id, among the shortest, has 20).
// Some keywords are two letters ("ey", "sk": in "key", "task"), so the run is checked first, or every hook that says
// anything would load the rules.
const TOKEN_RUN = /[A-Za-z0-9_-]{16,}/;

/**
 * Whether `text` may hold a token of a known format: a long enough run of token characters and a keyword of a rule
 * (case-insensitive). A hook loads the rules only then; the CLI, the monitor and the network stack always have them.
 */
export function mayHoldToken(text: string): boolean {
  if (!TOKEN_RUN.test(text)) return false;
  const lower = text.toLowerCase();
  return SECRET_KEYWORDS.some((k) => lower.includes(k));
}

/**
 * Loads the token-format rules into scrubString, once; given what is about to be scrubbed (text, or data read as its
 * JSON), only when it may hold a token (mayHoldToken).
 */
export async function loadTokenFormats(about?: unknown): Promise<void> {
  if (tokenFormats) return;
  if (about !== undefined) {
    const text = typeof about === 'string' ? about : JSON.stringify(about);
    if (text === undefined || !mayHoldToken(normalizeText(text))) return;
  }
  tokenFormats = (await import('./token-formats.js')).redactTokenFormats;
}

/**
 * `text` normalised, then without bearer values, URL credentials, registered secrets and (once loaded:
 * loadTokenFormats) tokens of known formats.
 */
export function scrubString(text: string): string {
  let out = normalizeText(text).replace(BEARER, (_m, scheme: string) => `${scheme} ${MASK}`);
  out = withoutUrlCredentials(out);
  for (const secret of registered) if (out.includes(secret)) out = out.split(secret).join(MASK);
  return tokenFormats ? tokenFormats(out, MASK) : out;
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
