import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boundLineDepth, jsonDepthScan, MAX_JSON_DEPTH } from '../../src/util/json-depth.js';

/** The nesting depth JSON.parse's own value has: the reference the scanner must agree with. */
function parsedDepth(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(parsedDepth));
  if (value !== null && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(parsedDepth));
  return 0;
}

/** The deepest nesting the scanner finds in `text`, fed in parts cut at `cuts` (byte offsets). */
function scannedDepth(text: string, cuts: number[] = []): number {
  const bytes = Buffer.from(text);
  const scan = jsonDepthScan(1000);
  let from = 0;
  for (const to of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    scan.scan(bytes.subarray(from, to));
    from = to;
  }
  return scan.deepest;
}

/** A small random JSON value whose strings hold brackets, quotes, backslashes and multi-byte characters. */
function randomValue(rand: () => number, depth: number): unknown {
  const pick = rand();
  const text = () =>
    Array.from({ length: Math.floor(rand() * 6) }, () => '[]{}"\\\\aé😀,:'[Math.floor(rand() * 12)]).join('');
  if (depth > 6 || pick < 0.3) return pick < 0.15 ? text() : Math.floor(pick * 100);
  if (pick < 0.65) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(rand() * 4) }, () => [text(), randomValue(rand, depth + 1)]),
  );
}

describe('jsonDepthScan', () => {
  it('agrees with JSON.parse on random values cut into random parts, brackets inside strings not counted', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 500; n++) {
      const value = randomValue(rand, 0);
      const text = JSON.stringify(value);
      const cuts = Array.from({ length: 4 }, () => Math.floor(rand() * Buffer.byteLength(text)));
      expect(scannedDepth(text, cuts), text).toBe(parsedDepth(value));
    }
  });

  it('reads an escaped quote or backslash split across two parts', () => {
    const text = JSON.stringify({ a: 'x\\"[[', b: 'y\\\\', c: [[1]] });
    for (let cut = 1; cut < text.length; cut++) expect(scannedDepth(text, [cut])).toBe(3);
  });

  it('says where a text first goes past the bound, and nothing within it', () => {
    const scan = jsonDepthScan(3);
    expect(scan.scan(Buffer.from('{"a":[[1],[2]]}'))).toBe(-1);
    scan.reset();
    expect(scan.scan(Buffer.from('{"a":[[[1]]]}'))).toBe(7);
  });

  it('reads ten million brackets in one pass and stops at the bound', () => {
    const deep = Buffer.from('['.repeat(5_000_000) + ']'.repeat(5_000_000));
    expect(jsonDepthScan().scan(deep)).toBe(MAX_JSON_DEPTH);
  });
});

/** What `boundLineDepth` passes on of `parts`, and how many lines it refused. */
async function throughBound(parts: string[], maxDepth: number): Promise<{ out: string; refused: number }> {
  let refused = 0;
  const bound = Readable.from(parts.map((p) => Buffer.from(p))).pipe(boundLineDepth(() => refused++, maxDepth));
  let out = '';
  for await (const chunk of bound) out += (chunk as Buffer).toString();
  return { out, refused };
}

describe('boundLineDepth', () => {
  it('passes shallow lines as they are, however they are cut', async () => {
    const lines = '{"id":1,"params":{"a":"[[[["}}\n{"id":2}\n';
    expect(await throughBound([lines.slice(0, 9), lines.slice(9, 30), lines.slice(30)], 3)).toEqual({
      out: lines,
      refused: 0,
    });
  });

  it('cuts a deep line where it goes too deep, drops its rest across parts, and passes the next line', async () => {
    const got = await throughBound(['{"id":1,"a":[[[[', ']]]]', '}\n{"id":2}\n'], 3);
    expect(got).toEqual({ out: '{"id":1,"a":[[\n{"id":2}\n', refused: 1 });
    expect(() => JSON.parse(got.out.split('\n')[0] ?? '')).toThrow();
  });
});
