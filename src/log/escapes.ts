// Escapes a browser, a Markdown renderer or a model reads as the character they stand for: percent-encoded UTF-8
// (`%5F`, `%E2%80%8B`) and HTML character references (`&#95;`, `&#x5f;`, and the named ones that spell a token's
// punctuation or nothing at all: `&lowbar;`, `&shy;`, `&ZeroWidthSpace;`).

// Named references whose character a token holds, or that show nothing; the many others (letters with accents,
// arrows, symbols) cannot stand in for a token's characters once the copy folds letters.
const NAMED: Record<string, string> = {
  lowbar: '_',
  UnderBar: '_',
  period: '.',
  sol: '/',
  equals: '=',
  plus: '+',
  colon: ':',
  num: '#',
  dollar: '$',
  percnt: '%',
  commat: '@',
  amp: '&',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
  shy: '\u00ad',
  zwj: '\u200d',
  zwnj: '\u200c',
  lrm: '\u200e',
  rlm: '\u200f',
  ZeroWidthSpace: '\u200b',
  NoBreak: '\u2060',
  InvisibleTimes: '\u2062',
  InvisibleComma: '\u2063',
  ic: '\u2063',
  it: '\u2062',
  af: '\u2061',
};

// `;` may be left out after a number, as browsers accept; a name needs it.
const ENTITY = /&(?:#([0-9]{1,7});?|#[xX]([0-9A-Fa-f]{1,6});?|([A-Za-z]{2,14});)/y;

/** The character the reference at `at` stands for, and where the reference ends; undefined where there is none. */
export function entityValue(text: string, at: number): [string, number] | undefined {
  ENTITY.lastIndex = at;
  const m = ENTITY.exec(text);
  if (!m) return undefined;
  const end = at + m[0].length;
  if (m[3] !== undefined) {
    const named = NAMED[m[3]];
    return named === undefined || !Object.hasOwn(NAMED, m[3]) ? undefined : [named, end];
  }
  const code = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2] as string, 16);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return [String.fromCodePoint(code), end];
}

const PERCENT = /%([0-9A-Fa-f]{2})/y;

/** The byte of the `%XX` at `at`, or -1. */
function byteAt(text: string, at: number): number {
  PERCENT.lastIndex = at;
  const m = PERCENT.exec(text);
  return m ? Number.parseInt(m[1] as string, 16) : -1;
}

/** The UTF-8 character a run of `%XX` at `at` spells, and where it ends; undefined where it spells none. */
export function percentValue(text: string, at: number): [string, number] | undefined {
  const lead = byteAt(text, at);
  if (lead < 0) return undefined;
  if (lead < 0x80) return [String.fromCharCode(lead), at + 3];
  if (lead < 0xc2 || lead > 0xf4) return undefined;
  const size = lead <= 0xdf ? 2 : lead <= 0xef ? 3 : 4;
  const bytes = [lead];
  for (let k = 1; k < size; k++) {
    const byte = byteAt(text, at + 3 * k);
    if (byte < 0x80 || byte > 0xbf) return undefined;
    bytes.push(byte);
  }
  const c = Buffer.from(bytes).toString('utf8');
  return c.includes('\ufffd') ? undefined : [c, at + 3 * size];
}
