import { describe, expect, it } from 'vitest';
import { jsonDepthScan, MAX_JSON_DEPTH } from '../../src/util/json-depth.js';

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

/** The members `names` of `text`'s top-level object as the scanner reads them, fed in parts cut at `cuts`. */
function scannedMembers(text: string, names: string[], cuts: number[] = []): Record<string, unknown> {
  const bytes = Buffer.from(text);
  const scan = jsonDepthScan(3, names);
  let from = 0;
  for (const to of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    for (let at = from; at < to; ) {
      const over = scan.scan(bytes, at, to);
      at = over === -1 ? to : over + 1;
    }
    from = to;
  }
  return Object.fromEntries(names.map((n) => [n, scan.member(n)]));
}

describe("jsonDepthScan's top-level members", () => {
  it('reads the id and method wherever they stand, past the depth bound, cut anywhere', () => {
    const texts = [
      '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"a":[[[[["x"]]]]]}}',
      '{"method":"tools/call","params":{"a":[[[[["x"]]]]]},"jsonrpc":"2.0","id":7}',
      String.raw`{ "params" : { "id" : 1, "method": "no" } , "method" : "tools\/call", "id" : 7 }`,
    ];
    for (const text of texts)
      for (let cut = 0; cut < text.length; cut++)
        expect(scannedMembers(text, ['id', 'method'], [cut]), `${text} cut at ${cut}`).toEqual({
          id: 7,
          method: 'tools/call',
        });
  });

  it('takes no id from inside a string, an escaped quote or a nested object, and reads an escaped key', () => {
    const tricky = String.raw`{"a":"\",\"id\":1","b":{"id":2},"\u0069d":"x\"y"}`;
    expect(JSON.parse(tricky)).toEqual({ a: '","id":1', b: { id: 2 }, id: 'x"y' });
    expect(scannedMembers(tricky, ['id'])).toEqual({ id: 'x"y' });
    expect(scannedMembers('{"a":{"id":2}}', ['id'])).toEqual({ id: undefined });
    expect(scannedMembers('[{"id":2}]', ['id'])).toEqual({ id: undefined });
  });

  it('reads an id that is an object, an array or too long as unreadable, and agrees with JSON.parse on random ids', () => {
    expect(scannedMembers('{"id":{"a":1}}', ['id'])).toEqual({ id: null });
    expect(scannedMembers(`{"id":"${'x'.repeat(300)}"}`, ['id'])).toEqual({ id: null });
    expect(scannedMembers('{"id":null}', ['id'])).toEqual({ id: null });
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 300; n++) {
      const id = rand() < 0.5 ? Math.floor(rand() * 1e9) - 5e8 : String(randomValue(rand, 10));
      const text = JSON.stringify({ x: randomValue(rand, 0), id, y: randomValue(rand, 0) });
      const cuts = Array.from({ length: 3 }, () => Math.floor(rand() * Buffer.byteLength(text)));
      expect(scannedMembers(text, ['id'], cuts), text).toEqual({ id });
    }
  });
});
