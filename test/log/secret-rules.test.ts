// Every vendored token rule runs in linear time on text crafted against it: V8's backtracking engine must not be
// handed a pattern that RE2 (gitleaks' engine) runs in linear time but it does not.
import { describe, expect, it } from 'vitest';
import { SECRET_RULES } from '../../src/log/secret-rules.js';
import { looseSource } from '../../src/log/token-formats.js';
// @ts-expect-error a plain .mjs script, run as it is to vendor the rules
import { BACKTRACKING_PREFIX, toJs } from '../../scripts/vendor-secret-rules.mjs';

/** Text of about `size` characters, `unit` over and over. */
const repeat = (unit: string, size: number): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** The shapes that make a keyword rule work hardest: keywords packed close, long identifiers, near-miss values. */
const crafted = (kw: string): string[] => [
  kw,
  `${kw}_`,
  `${'a'.repeat(60)}${kw}`,
  `${kw}${'a'.repeat(19)}  '=' ${'0'.repeat(39)}!`,
  `${kw}-${'x.'.repeat(30)}:`,
];

/** The fastest of three scans of `text`, in ms: matches consumed as the masker consumes them. */
function scan(re: RegExp, text: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    for (const m of text.matchAll(re)) void m;
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** A plain one-character scan of 100 KB, measured once: every crafted text is that long and of ASCII. */
let plainScan: number | undefined;

/**
 * The time `re` took on `text` when over its budget: forty times a match at every character of the same text, which
 * no engine runs in more than linear time. A rule over it is measured again side by side with the plain scan up to
 * three times, so a spike of load on a shared machine is not taken for backtracking (the plain scan is most of the
 * test's time: measured for every text, it took over a minute here). The rules take up to about 11 times it, the
 * nested prefixes gitleaks had over 200 times: the budget sits between, with room for the noise of a loaded machine.
 */
function overBudget(re: RegExp, text: string): { took: number; budget: number } | undefined {
  plainScan ??= scan(/[\s\S]/g, text);
  if (scan(re, text) <= 40 * plainScan) return undefined;
  let last = { took: 0, budget: 0 };
  for (let i = 0; i < 3; i++) {
    last = { budget: 40 * scan(/[\s\S]/g, text), took: scan(re, text) };
    if (last.took <= last.budget) return undefined;
  }
  return last;
}

describe('the vendored token rules', () => {
  it('hold no prefix a backtracking engine runs in more than linear time', () => {
    for (const [id, , source] of SECRET_RULES) expect(source.includes(BACKTRACKING_PREFIX), id).toBe(false);
    expect(toJs(`(?i)[\\w.-]{0,50}?(?:[\\w.-]{0,50}?(?:sumo))=([a-z]{4})`).source).toBe('(?:(?:sumo))=([a-z]{4})');
  });

  it('name their keywords in small letters, two at least: a text is scanned for keywords by their first two', () => {
    for (const [id, keywords] of SECRET_RULES)
      for (const k of keywords) expect(k.length >= 2 && k === k.toLowerCase(), `${id}: ${k}`).toBe(true);
  });

  it("loose forms drop only a rule's word boundaries and its token end", () => {
    const anthropic = SECRET_RULES.find(([id]) => id === 'anthropic-api-key')?.[2] ?? '';
    expect(looseSource(anthropic)).toBe('(sk-ant-api03-[a-zA-Z0-9_\\-]{93}AA)');
    const perplexity = SECRET_RULES.find(([id]) => id === 'perplexity-api-key')?.[2] ?? '';
    expect(looseSource(perplexity)).toBe('(pplx-[a-zA-Z0-9]{48})');
    for (const [id, , source] of SECRET_RULES) expect(() => new RegExp(looseSource(source)), id).not.toThrow();
  });

  it('each scans 100 KB of its worst case within forty times a plain one-character scan of the same text', () => {
    const slow: string[] = [];
    // Each rule as it is, and as it runs on a copy with disguises undone (without its word boundaries).
    for (const [id, keywords, source, flags] of SECRET_RULES) {
      for (const [form, pattern] of new Map([
        [source, id],
        [looseSource(source), `${id} (loose)`],
      ])) {
        const re = new RegExp(form, `${flags}gd`);
        for (const unit of crafted(keywords[0] ?? '')) {
          const over = overBudget(re, repeat(unit, 100_000));
          if (over)
            slow.push(
              `${pattern} on ${JSON.stringify(unit.slice(0, 30))}: ${over.took.toFixed(1)} ms, budget ${over.budget.toFixed(1)} ms`,
            );
        }
      }
    }
    expect(slow).toEqual([]);
  }, 120_000);
});
