// The copy a secret scanner reads is made only where it could differ from the text, and then a character at a time only
// where it could differ: a regular expression finds those places, and says "no change" only where the copy would
// change nothing. Checked against the copy itself over many texts made of the pieces that decide it, and on prose.
import { describe, expect, it } from 'vitest';
import { copied, copiedSlowly, type DisguiseView, disguiseView, mayAlter } from '../../src/log/disguise.js';

/** A small seeded generator (mulberry32): a failure names its seed and comes again. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What the copy reads a character at a time: token characters of each kind, the whitespace of a split, escapes whole
// and broken, and characters beyond ASCII that fold, vanish or stay.
const PIECES = [
  ...'aAzZ09_+/=.-',
  'abcdefgh',
  'ABCDEFGH',
  'abcDEF12',
  'x9',
  'ghp_',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '        ',
  '%',
  '%5F',
  '%E2%80%8B',
  '%zz',
  '&',
  '&#95;',
  '&#x5f',
  '&lowbar;',
  '&amp;',
  '&nosuch;',
  '#',
  ';',
  'é',
  'e\u0301',
  '\u200b',
  '\u00a0',
  '\u00ad',
  '—',
  '日本',
  '😀',
  '\ud800',
  'ﬁ',
  'Ａ',
  '"',
  ':',
];

function text(random: () => number): string {
  let out = '';
  const n = 1 + Math.floor(random() * 24);
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(random() * PIECES.length)];
  return out;
}

/** A copy as plain arrays, as long as its text: what a test compares. */
const plain = (view: DisguiseView | undefined) =>
  view && {
    text: view.text,
    ...Object.fromEntries(
      (['from', 'to', 'gap', 'altered'] as const).map((k) => [k, [...view[k].subarray(0, view.text.length)]]),
    ),
  };

describe('the screen before the copy', () => {
  it('makes the copy a character at a time makes, and says "no change" only where that one changes nothing', () => {
    let screened = 0;
    for (let seed = 1; seed <= 20_000; seed++) {
      const t = text(seeded(seed));
      const slowly = copiedSlowly(t);
      expect(plain(copied(t)), `seed ${seed}: ${JSON.stringify(t)}`).toEqual(plain(slowly));
      if (mayAlter(t)) continue;
      screened++;
      expect(slowly, `seed ${seed}: ${JSON.stringify(t)}`).toBeUndefined();
    }
    // The texts are made to be hard: still, a good share passes the screen, so the check above checked something.
    expect(screened).toBeGreaterThan(1_000);
  });

  it.each([
    ['a token split by a line break', 'key ghp_abcd1234\nEFGH5678 end'],
    ['a split after a short piece before a marked one', 'x a\n  ghp_T1234abcd'],
    ['a percent-encoded underscore', 'ghp%5Fabc'],
    ['an HTML reference', 'ghp&#95;abc'],
    ['a combining mark', 'e\u0301'],
    ['an invisible character', 'gh\u200bp'],
  ])('passes %s on to the copy, which changes it', (_label, t) => {
    expect(mayAlter(t)).toBe(true);
    expect(copied(t)).toBeDefined();
    expect(disguiseView(t)).toEqual(copied(t));
  });

  it('makes no copy of prose, and copies the stretches around a split token as they are', () => {
    const prose = 'Fix the login page redirect after the session times out — priority medium, status todo.\n'.repeat(
      40,
    );
    expect(mayAlter(prose)).toBe(false);
    expect(disguiseView(prose)).toBeUndefined();
    const split = `${prose}use ghp_abcd1234\nEFGH5678 here\n${prose}`;
    const view = copied(split);
    // Each split beside a piece that looks like a token's is joined, the one before it too.
    expect(view?.text).toBe(`${prose}useghp_abcd1234EFGH5678here\n${prose}`);
  });

  it('maps every character it copies as it is back to that character of the text', () => {
    for (let seed = 1; seed <= 2_000; seed++) {
      const t = text(seeded(seed));
      const view = copied(t);
      if (!view) continue;
      for (let k = 0; k < view.text.length; k++) {
        const from = view.from[k] as number;
        // A character beyond the first 65,536 is two in the copy, each mapped to both of the text's.
        if (view.altered[k] === 0) expect(t.slice(from, view.to[k]), `seed ${seed} at ${k}`).toContain(view.text[k]);
        if (k > 0) expect(from, `seed ${seed} at ${k}`).toBeGreaterThanOrEqual(view.from[k - 1] as number);
      }
    }
  });
});
