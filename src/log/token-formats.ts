// Tokens taskhooks was never told of, found by their published formats (ghp_…, github_pat_…, sk-ant-…, xoxb-…,
// AKIA…): the rules a secret scanner keeps (./secret-rules.ts, vendored from gitleaks). A rule runs only on text that
// holds one of its keywords, and is compiled the first time it does: the hot path pays a substring search, no more.
import { type DisguiseView, JOINED, sourceOf, standsAlone, tokenish, undisguised } from './disguise.js';
import { SECRET_RULES } from './secret-rules.js';

// Loaded with the rules: a hook needs it, as it needs them, only for text that names a secret.
export { withoutSecretPairs } from './secret-pairs.js';

export type Span = [number, number];

interface Compiled {
  re: RegExp;
  group: number;
  entropy: number;
  /** The whole pattern, anchored: whether a shorter piece of a match is a token still. */
  whole?: RegExp;
}

const strict = new Map<number, Compiled>();
const loose = new Map<number, Compiled>();

/** A keyword's first two characters as one number: where the index finds the keywords a text may hold there. */
const pairAt = (text: string, i: number): number => text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1);

/** Each keyword with the rules that name it, by its first two characters (every keyword has two at least). */
let byPair: Map<number, [keyword: string, ids: number[]][]> | undefined;

function keywordIndex(): Map<number, [keyword: string, ids: number[]][]> {
  if (byPair) return byPair;
  const rulesOf = new Map<string, number[]>();
  SECRET_RULES.forEach(([, keywords], i) => {
    for (const k of keywords) {
      const ids = rulesOf.get(k);
      if (ids) ids.push(i);
      else rulesOf.set(k, [i]);
    }
  });
  const index = new Map<number, [string, number[]][]>();
  for (const entry of rulesOf) {
    const pair = pairAt(entry[0], 0);
    const entries = index.get(pair);
    if (entries) entries.push(entry);
    else index.set(pair, [entry]);
  }
  byPair = index;
  return index;
}

// The end a rule asks of a token (a quote, space, `;`, an escaped line break or the end), and `\b`: in the copy of a
// disguised text a split token's neighbours are joined to it, so there these are asked of the text instead
// (standsAlone). A rule with an unbounded repeat keeps its `\b`: without it a backtracking engine would try the
// repeat from inside every word (jwt's `ey[a-zA-Z0-9]{17,}` on `eyeyey…`), in more than linear time.
const TOKEN_END = /\(\?:\[\\x60'"\\s;\]\|\\\\\[nr\]\|\$(?:\|\\b)?\)/g;
const UNBOUNDED = /\{\d+,\}|[\])][*+]|\\[wdsS][*+]/;
export function looseSource(source: string): string {
  const ended = source.replace(TOKEN_END, '');
  return UNBOUNDED.test(source) ? ended : ended.replaceAll('\\b', '');
}

function compile(i: number, relaxed: boolean): Compiled {
  const cache = relaxed ? loose : strict;
  let rule = cache.get(i);
  if (!rule) {
    const [, , source, flags, group, entropy] = SECRET_RULES[i] as (typeof SECRET_RULES)[number];
    const pattern = relaxed ? looseSource(source) : source;
    rule = { re: new RegExp(pattern, `${flags}gd`), group, entropy };
    if (relaxed) rule.whole = new RegExp(`^(?:${pattern})$`, flags);
    cache.set(i, rule);
  }
  return rule;
}

/**
 * The rules whose keywords `text` holds (case-insensitive). The text is read once, looking up the keywords that start
 * with each pair of characters, rather than once per keyword: a snapshot's many short strings are scrubbed on every
 * write.
 */
function rulesFor(text: string): Set<number> {
  const lower = text.toLowerCase();
  const index = keywordIndex();
  const rules = new Set<number>();
  for (let i = 0; i + 1 < lower.length; i++) {
    const keywords = index.get(pairAt(lower, i));
    if (keywords)
      for (const [keyword, ids] of keywords) if (lower.startsWith(keyword, i)) for (const id of ids) rules.add(id);
  }
  return rules;
}

/** Shannon entropy in bits per character: how the scanner tells a real token from a placeholder of one letter. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/** Where the secret of one match lies: its rule's group, else the first group that matched, else the whole match. */
function secretSpan(m: RegExpExecArray, group: number): Span | undefined {
  const indices = m.indices;
  if (!indices) return undefined;
  if (group > 0) return indices[group];
  for (let g = 1; g < indices.length; g++) if (indices[g]) return indices[g];
  return indices[0];
}

/**
 * The secret of every match of the rules `text`'s keywords call for, as `keep` makes it (undefined: none), and as
 * random as its rule asks.
 */
function scan(
  text: string,
  relaxed: boolean,
  keep: (m: RegExpExecArray, rule: Compiled, span: Span) => Span | undefined,
): Span[] {
  const spans: Span[] = [];
  for (const id of rulesFor(text)) {
    const rule = compile(id, relaxed);
    for (const m of text.matchAll(rule.re)) {
      const found = secretSpan(m, rule.group);
      const span = found && found[1] > found[0] ? keep(m, rule, found) : undefined;
      if (span && (rule.entropy === 0 || entropy(text.slice(span[0], span[1])) >= rule.entropy)) spans.push(span);
    }
  }
  return spans;
}

/** Where every token of a known format lies in `text`. */
export function tokenSpans(text: string): Span[] {
  return scan(text, false, (_m, _rule, span) => span);
}

/**
 * A match in the copy that runs on over a joined word (`…AA` and `here`, greedy rules take both) ends where the token
 * did: a last piece that looks like a word is left out while the rest is a token still. A few pieces at most.
 */
function trimmed(view: DisguiseView, rule: Compiled, matchStart: number, start: number, end: number): number {
  for (let tries = 0; tries < 8; tries++) {
    let j = end - 1;
    while (j > start && view.gap[j] !== JOINED) j--;
    if (j <= start || tokenish(view.text.slice(j, end))) return end;
    if (!rule.whole?.test(view.text.slice(matchStart, j))) return end;
    end = j;
  }
  return end;
}

/**
 * Where tokens of a known format lie in the text `view` is a copy of (see ./disguise.ts), found only in the copy: a
 * token with a mark inside, escaped, or split. A match must undo a disguise and stand alone in the text.
 */
export function disguisedTokenSpans(view: DisguiseView): Span[] {
  const found = scan(view.text, true, (m, rule, [start, matched]) => {
    const end = matched === m.index + m[0].length ? trimmed(view, rule, m.index, start, matched) : matched;
    return undisguised(view, start, end) && standsAlone(view, start, end) ? [start, end] : undefined;
  });
  return found.map(([start, end]) => sourceOf(view, start, end));
}
