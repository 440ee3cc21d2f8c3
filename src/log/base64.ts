// A token encoded in base64 (an `Authorization: Basic` value, a config blob, a data URL) is still the token to whoever
// decodes it. Runs of base64 of a plausible length are decoded, at each of the four alignments a run may start at
// inside a longer word; those that decode to text are read as one string, and a secret found there is masked over
// the base64 characters that encode it.

// Standard and URL-safe alphabets. Runs shorter than 16 characters encode too little to hold a secret worth the cost;
// longer than 64 KB they are files (images, archives), not text someone pasted a token into.
const RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const MAX_RUN = 65_536;

interface Decoded {
  /** Where the encoded characters start in the text, and where the decoded text starts in the joined string. */
  at: number;
  offset: number;
  length: number;
}

/** Whether decoded bytes read as text: printable ASCII, tabs and line breaks, with at most one byte in twenty not. */
function readsAsText(bytes: Buffer): boolean {
  let other = 0;
  for (const b of bytes) if ((b < 0x20 || b > 0x7e) && b !== 9 && b !== 10 && b !== 13) other++;
  return other * 20 <= bytes.length;
}

/** The first decoded run (they lie in order) that ends after `at` of the joined string. */
function firstEndingAfter(decoded: Decoded[], at: number): number {
  let lo = 0;
  let hi = decoded.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const d = decoded[mid] as Decoded;
    if (d.offset + d.length <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The ranges of `text` whose base64 decodes to a secret, as `find` tells in the decoded text (one string of every
 * decoded run, a line each).
 */
export function base64Spans(text: string, find: (decoded: string) => Array<[number, number]>): Array<[number, number]> {
  const parts: string[] = [];
  const decoded: Decoded[] = [];
  let offset = 0;
  for (const m of text.matchAll(RUN)) {
    const run = m[0].replace(/=+$/, '');
    if (run.length > MAX_RUN) continue;
    for (let shift = 0; shift < 4 && run.length - shift >= 16; shift++) {
      const bytes = Buffer.from(run.slice(shift), 'base64');
      if (!readsAsText(bytes)) continue;
      const plain = bytes.toString('latin1');
      decoded.push({ at: m.index + shift, offset, length: plain.length });
      parts.push(plain);
      offset += plain.length + 1;
    }
  }
  if (parts.length === 0) return [];
  const spans: Array<[number, number]> = [];
  for (const [start, end] of find(parts.join('\n'))) {
    for (let i = firstEndingAfter(decoded, start); i < decoded.length; i++) {
      const d = decoded[i] as Decoded;
      if (d.offset >= end) break;
      // Three bytes are four characters: the characters of every group holding a byte of the secret.
      const first = Math.floor((Math.max(start, d.offset) - d.offset) / 3) * 4;
      const last = Math.ceil((Math.min(end, d.offset + d.length) - d.offset) / 3) * 4;
      spans.push([d.at + first, d.at + last]);
    }
  }
  return spans;
}
