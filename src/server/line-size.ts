// Bounds on each line of an MCP stream, before anything parses it: a tool call of tens of MB (a Write through the
// hook tool) held the monitor for seconds and hundreds of MB, and ten million brackets took JSON.parse as long. A line
// past either bound is cut there and the rest of it dropped as it comes, read only for the top-level "id" and
// "method" (wherever a client writes them: Codex and the Python SDK first, the TypeScript SDK last), so that it can
// be answered.
import { Transform } from 'node:stream';
import { jsonDepthScan, MAX_JSON_DEPTH } from '../util/json-depth.js';

const NEWLINE = 0x0a;
const LINE_END = Buffer.from('\n');

/** A line cut at a bound: which one, and what of the message could be read. */
export interface RefusedLine {
  why: 'size' | 'depth';
  /** Its id; null where it has one that cannot be read here, undefined where it has none (a notification). */
  id: string | number | null | undefined;
  method: string | undefined;
}

/**
 * Passes lines of at most `maxBytes`, nested at most `maxDepth`, on as they come; any other is cut at the bound and
 * ended with a newline (the reader's parser refuses it as truncated, at once), the rest dropped, and `refused` told
 * once it ends. Nothing is held beyond the chunk at hand.
 */
export function boundLines(
  maxBytes: number,
  refused: (line: RefusedLine) => void,
  maxDepth = MAX_JSON_DEPTH,
): Transform {
  const scan = jsonDepthScan(maxDepth, ['id', 'method']);
  let size = 0;
  let why: RefusedLine['why'] | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const out: Buffer[] = [];
      for (let i = 0; i < chunk.length; ) {
        const nl = chunk.indexOf(NEWLINE, i);
        const end = nl === -1 ? chunk.length : nl;
        if (why === undefined) {
          const kept = Math.min(end, i + maxBytes - size);
          const over = scan.scan(chunk, i, kept);
          const cut = over !== -1 ? over : kept < end ? kept : -1;
          if (cut === -1) out.push(chunk.subarray(i, nl === -1 ? end : nl + 1));
          else {
            out.push(chunk.subarray(i, cut), LINE_END);
            why = over !== -1 ? 'depth' : 'size';
            readRest(cut + (over !== -1 ? 1 : 0), end);
          }
        } else readRest(i, end);
        size += end - i;
        if (nl !== -1) {
          if (why !== undefined) refused({ why, id: idOf(scan.member('id')), method: methodOf(scan.member('method')) });
          why = undefined;
          size = 0;
          scan.reset();
        }
        i = nl === -1 ? chunk.length : nl + 1;
      }
      done(null, Buffer.concat(out));

      /** The dropped part is read only until the id and method are known (a client that writes them first). */
      function readRest(from: number, to: number): void {
        if (scan.member('id') === undefined || scan.member('method') === undefined) scan.scan(chunk, from, to);
      }
    },
  });
}

const idOf = (value: unknown): RefusedLine['id'] =>
  value === undefined ? undefined : typeof value === 'string' || typeof value === 'number' ? value : null;

const methodOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
