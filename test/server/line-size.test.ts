import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boundLines, type RefusedLine } from '../../src/server/line-size.js';

/** What `boundLines` passes on of `parts`, and the lines it refused. */
async function throughBound(
  parts: string[],
  maxBytes: number,
  maxDepth: number,
): Promise<{ out: string; refused: RefusedLine[] }> {
  const refused: RefusedLine[] = [];
  const bound = Readable.from(parts.map((p) => Buffer.from(p))).pipe(
    boundLines(maxBytes, (line) => refused.push(line), maxDepth),
  );
  let out = '';
  for await (const chunk of bound) out += (chunk as Buffer).toString();
  return { out, refused };
}

describe('boundLines', () => {
  it('passes lines within both bounds as they are, however they are cut', async () => {
    const lines = '{"id":1,"params":{"a":"[[[["}}\n{"id":2}\n';
    expect(await throughBound([lines.slice(0, 9), lines.slice(9, 30), lines.slice(30)], 100, 3)).toEqual({
      out: lines,
      refused: [],
    });
  });

  it('cuts a deep line where it goes too deep, reads its id after the cut, and passes the next line', async () => {
    const got = await throughBound(['{"method":"x","a":[[[[', ']]]]', ',"id":"k"}\n{"id":2}\n'], 100, 3);
    expect(got).toEqual({
      out: '{"method":"x","a":[[\n{"id":2}\n',
      refused: [{ why: 'depth', id: 'k', method: 'x' }],
    });
    expect(() => JSON.parse(got.out.split('\n')[0] ?? '')).toThrow();
  });

  it('cuts a long line at the bound and answers it for its id, written first or last', async () => {
    const body = `"params":{"content":"${'x'.repeat(200)}"}`;
    const first = `{"jsonrpc":"2.0","id":41,"method":"tools/call",${body}}\n`;
    const last = `{"method":"tools/call",${body},"jsonrpc":"2.0","id":42}\n`;
    const got = await throughBound([first.slice(0, 70), first.slice(70), last, '{"id":3}\n'], 64, 3);
    expect(got.out.split('\n')).toEqual([first.slice(0, 64), last.slice(0, 64), '{"id":3}', '']);
    expect(got.refused).toEqual([
      { why: 'size', id: 41, method: 'tools/call' },
      { why: 'size', id: 42, method: 'tools/call' },
    ]);
  });

  it('says a notification has no id, and an id it cannot read is null', async () => {
    const got = await throughBound(
      [`{"method":"n","params":"${'x'.repeat(80)}"}\n{"id":{"a":1},"params":"${'x'.repeat(80)}"}\n`],
      64,
      3,
    );
    expect(got.refused).toEqual([
      { why: 'size', id: undefined, method: 'n' },
      { why: 'size', id: null, method: undefined },
    ]);
  });
});
