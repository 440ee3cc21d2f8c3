// Secrets must never reach a log line, whatever shape they arrive in: as a known key, inside an error message, or as a
// header value. Values registered here are scrubbed from every string logged; so are credentials in URLs (a user part,
// a query token) and, once their rules are loaded, values given a secret's name in text (`password=…`:
// ./secret-pairs.ts) and tokens of a published format taskhooks was never told of. Text is normalised first
// (./normalize.ts): a secret split by an invisible character must not slip past here and be joined again by a later
// clean-up. Secrets are also looked for in a copy with disguises undone (./disguise.ts: marks, `%5F`, `&#95;`, a token
// split by a line break) and in what base64 runs decode to (./base64.ts), and masked where they came from.
import { base64Spans } from './base64.js';
import { disguiseView, sourceOf, undisguised } from './disguise.js';
import { normalizeText } from './normalize.js';
import { SECRET_KEYWORDS } from './secret-keywords.js';
import { SECRET_NAME } from './secret-name.js';
import type { Span } from './token-formats.js';

const registered = new Set<string>();
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi;
const MASK = '[redacted]';
// A URL's user part: `https://user:TOKEN@host/…` (anything with a password), or a token as the user of http(s).
// Greedy to the last `@` before the path, so a password holding `@` goes whole. Both URL patterns start at `://` and
// look back for the scheme: tried from each word boundary instead, a run like `a.a.a…` took time with its square.
const URL_USERINFO = /:\/\/(?<=\b([a-z][a-z0-9+.-]*):\/\/)([^\s/?#]+)@/gi;
// A URL's query, where trackers take a token too (`?private_token=…`, `&access_token=…`), up to a space or a quote.
const URL_QUERY = /:\/\/(?<=\b[a-z][a-z0-9+.-]*:\/\/)([^\s?#"'<>]*\?)([^\s#"'<>]+)/gi;
const QUERY_PAIR = /([^&;=]+)=([^&;]+)/g;

export function namedLikeSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

/**
 * Replaces every registered value by `values` and returns those it replaced: a process that runs one command after
 * another (the tests' in-process CLI) gives each the empty registry a process of its own starts with, then its own back.
 */
export function swapSecrets(values: Iterable<string>): string[] {
  const before = [...registered];
  registered.clear();
  for (const value of values) registered.add(value);
  return before;
}

/** Every value registered so far: a child's environment is checked against them too. */
export function registeredSecrets(): ReadonlySet<string> {
  return registered;
}

/** A URL's credentials dropped (`https://host/…` stays); an ssh or git URL's bare user name (`ssh://git@`) is kept. */
function withoutUrlCredentials(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(URL_USERINFO, (all, scheme: string, userinfo: string) =>
    userinfo.includes(':') || /^https?$/i.test(scheme) ? '://' : all,
  );
}

/** A URL's query parameters named like secrets with their values masked; the rest of the query kept. */
function withoutQueryCredentials(text: string): string {
  if (!text.includes('?')) return text;
  const masked = (pair: string, name: string): string => (namedLikeSecret(name) ? `${name}=${MASK}` : pair);
  return text.replace(
    URL_QUERY,
    (_all, rest: string, query: string) => `://${rest}${query.replace(QUERY_PAIR, masked)}`,
  );
}

// The token-format rules (./token-formats.ts, 35 KB of patterns) are loaded by `import()`, so a hook's bundle holds
// only their keywords: the CLI, the monitor and the network stack load them at once, a hook when its text needs them.
let tokenFormats: typeof import('./token-formats.js') | undefined;

// A token worth masking is a long run of letters, digits, `_` and `-` (an AWS key id, among the shortest, has 20).
// Some keywords are two letters ("ey", "sk": in "key", "task"), so the run is checked first, or every hook that says
// anything would load the rules.
const TOKEN_RUN = /[A-Za-z0-9_-]{16,}/;

// A name of a secret given a value (`password=`, `"token":`, `--token x`): what ./secret-pairs.ts masks.
const NAMED_VALUE = new RegExp(
  `(?:${SECRET_NAME.source})[\\\\"'\`*]{0,3}[ \\t]*[:=]|-(?:${SECRET_NAME.source})[ \\t]`,
  'i',
);

function plainMayHoldToken(text: string): boolean {
  if (!TOKEN_RUN.test(text)) return false;
  const lower = text.toLowerCase();
  return SECRET_KEYWORDS.some((k) => lower.includes(k));
}

/** The keys and strings of plain data, a line each: JSON would write a line break as `\n`, and a split be missed. */
function textOf(value: unknown, depth = 0): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || depth > 16) return '';
  return Object.entries(value)
    .map(([k, v]) => (Array.isArray(value) ? textOf(v, depth + 1) : `${k}\n${textOf(v, depth + 1)}`))
    .join('\n');
}

/**
 * Whether `about` (text, or data read as its keys and strings) may hold a token of a known format, as it is,
 * disguised or in base64: a long enough run of token characters and a keyword of a rule (case-insensitive); or a
 * value given a secret's name (`password=…`). A hook loads the rules only then; the CLI, the monitor and the network
 * stack always have them.
 */
export function mayHoldToken(about: unknown): boolean {
  const text = normalizeText(textOf(about));
  if (plainMayHoldToken(text) || NAMED_VALUE.test(text)) return true;
  const view = disguiseView(text);
  if (view && plainMayHoldToken(view.text)) return true;
  let found = false;
  base64Spans(text, (decoded) => {
    found = plainMayHoldToken(decoded);
    return [];
  });
  return found;
}

/** Whether the token-format rules are loaded: a caller may then skip finding what it would ask loadTokenFormats about. */
export function tokenFormatsLoaded(): boolean {
  return tokenFormats !== undefined;
}

/**
 * Loads the token-format rules into scrubString, once; given what is about to be scrubbed (text or data), only when
 * it may hold a token (mayHoldToken).
 */
export async function loadTokenFormats(about?: unknown): Promise<void> {
  if (tokenFormats) return;
  if (about !== undefined && !mayHoldToken(about)) return;
  tokenFormats = await import('./token-formats.js');
}

/** Where registered secrets lie in `text`. */
function registeredSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const secret of registered)
    for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + secret.length))
      spans.push([at, at + secret.length]);
  return spans;
}

/** Where registered secrets and (once loaded) tokens of known formats lie in `text`, as it reads. */
function plainSpans(text: string): Span[] {
  const spans = registeredSpans(text);
  // No rule matches without its keyword and a long run of token characters: most text is passed over at that.
  if (tokenFormats && plainMayHoldToken(text)) for (const span of tokenFormats.tokenSpans(text)) spans.push(span);
  return spans;
}

/** Where secrets lie in `text`: as it reads, with its disguises undone, and in its base64. */
function secretSpans(text: string): Span[] {
  const spans = plainSpans(text);
  if (registered.size === 0 && !tokenFormats) return spans;
  const view = disguiseView(text);
  if (view) {
    for (const [start, end] of registeredSpans(view.text))
      if (undisguised(view, start, end)) spans.push(sourceOf(view, start, end));
    if (tokenFormats && plainMayHoldToken(view.text))
      for (const span of tokenFormats.disguisedTokenSpans(view)) spans.push(span);
  }
  for (const span of base64Spans(text, plainSpans)) spans.push(span);
  return spans;
}

/** Spans in order, overlapping and touching ones made one. */
function merged(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** The part of the joined text that starts at `offset`, with the spans that fall in it masked. */
function maskedPart(part: string, offset: number, spans: Span[]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    const from = Math.max(start - offset, at);
    const to = Math.min(end - offset, part.length);
    if (to <= from) continue;
    out += part.slice(at, from) + MASK;
    at = to;
  }
  return out + part.slice(at);
}

/**
 * Texts that belong together (a task's title and description), each normalised, without bearer values, URL
 * credentials (user parts, secret-named query parameters) and (once loaded) values given a secret's name, then scanned
 * as one, a line each: a secret split between two of them is masked in both.
 */
export function scrubStrings(parts: readonly string[]): string[] {
  const clean = parts.map((p) => {
    const text = withoutQueryCredentials(
      withoutUrlCredentials(normalizeText(p).replace(BEARER, (_m, scheme: string) => `${scheme} ${MASK}`)),
    );
    return tokenFormats ? tokenFormats.withoutSecretPairs(text) : text;
  });
  const spans = merged(secretSpans(clean.join('\n')));
  if (spans.length === 0) return clean;
  let offset = 0;
  return clean.map((part) => {
    const out = maskedPart(part, offset, spans);
    offset += part.length + 1;
    return out;
  });
}

/**
 * `text` normalised, then without bearer values, URL credentials, registered secrets and (once loaded:
 * loadTokenFormats) values given a secret's name and tokens of known formats, plain, disguised or in base64.
 */
export function scrubString(text: string): string {
  return scrubStrings([text])[0] as string;
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
  // A task's title and description are read as one text: a secret split between them is masked in both.
  const { title, description } = value as { title?: unknown; description?: unknown };
  const pair = typeof title === 'string' && typeof description === 'string';
  if (pair) [out.title, out.description] = scrubStrings([title, description]);
  for (const [k, v] of Object.entries(value))
    if (!pair || (k !== 'title' && k !== 'description')) out[k] = scrubData(v, depth + 1);
  return out as T;
}

/**
 * A hook's answer with tokens of known formats redacted, before it is told or recorded. The cache's task text is
 * scrubbed when written; what a hook adds itself (commit subjects, notes) is scrubbed here, and the rules are loaded
 * only when the answer holds one of their keywords.
 */
export async function withoutTokens<R extends { output: unknown }>(result: R): Promise<R> {
  if (!result.output || !mayHoldToken(result.output)) return result;
  await loadTokenFormats();
  return { ...result, output: scrubData(result.output) };
}
