// A bound on each line of an MCP stream, before anything parses it: a tool call of tens of MB (a Write through the
// hook tool) held the monitor for seconds and hundreds of MB. A line past the bound is cut there and the rest of it
// dropped as it comes; its id, which a client writes last, is read from the line's end so that it can be answered.
import { Transform } from 'node:stream';

const NEWLINE = 0x0a;
/** How much of a line's end is kept to read its id from: `,"jsonrpc":"2.0","id":…}` and some room. */
const TAIL_BYTES = 128;
const ID_AT_END = /"id"\s*:\s*(-?\d{1,15}|"[^"\\]{0,64}")\s*\}\s*$/;

/**
 * Passes lines of at most `maxBytes` on as they come; a longer one is cut at the bound and ended with a newline (the
 * reader's parser refuses it as truncated), the rest dropped, and `refused` is told its id once it ends (undefined
 * where none could be read).
 */
export function boundLineSize(maxBytes: number, refused: (id: number | string | undefined) => void): Transform {
  let size = 0;
  let dropping = false;
  let tail: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const out: Buffer[] = [];
      for (let i = 0; i < chunk.length; ) {
        const nl = chunk.indexOf(NEWLINE, i);
        const end = nl === -1 ? chunk.length : nl;
        if (dropping) {
          tail = Buffer.concat([tail, chunk.subarray(Math.max(i, end - TAIL_BYTES), end)]).subarray(-TAIL_BYTES);
        } else if (size + end - i > maxBytes) {
          out.push(chunk.subarray(i, i + maxBytes - size), LINE_END);
          dropping = true;
          tail = chunk.subarray(Math.max(i, end - TAIL_BYTES), end);
        } else out.push(chunk.subarray(i, nl === -1 ? end : nl + 1));
        size += end - i;
        if (nl !== -1) {
          if (dropping) refused(idOf(tail));
          dropping = false;
          size = 0;
          tail = Buffer.alloc(0);
        }
        i = nl === -1 ? chunk.length : nl + 1;
      }
      done(null, Buffer.concat(out));
    },
  });
}

const LINE_END = Buffer.from('\n');

function idOf(tail: Buffer): number | string | undefined {
  const found = ID_AT_END.exec(tail.toString('latin1'))?.[1];
  if (found === undefined) return undefined;
  return found.startsWith('"') ? (JSON.parse(found) as string) : Number(found);
}
