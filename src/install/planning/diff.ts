// A small line diff for `--dry-run`: settings files are a few hundred lines at most, so a plain LCS table is enough.
import { displayConfigLine } from '../../config/display.js';
import { scrubString } from '../../log/redact.js';
import type { FileChange } from '../../files/file-change.js';

type Op = { kind: ' ' | '-' | '+'; line: string };

function lineOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the longest common subsequence of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const below = lcs[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--)
      row[j] = a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i] as string });
      i++;
      j++;
    } else if (j < m && (i === n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      ops.push({ kind: '+', line: b[j] as string });
      j++;
    } else {
      ops.push({ kind: '-', line: a[i] as string });
      i++;
    }
  }
  return ops;
}

const splitLines = (text: string | null): string[] =>
  text === null || text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);

/** Changed lines with `context` unchanged lines around them; `…` marks what was skipped. */
export function renderDiff(before: string | null, after: string | null, context = 2): string[] {
  const ops = lineOps(splitLines(before), splitLines(after));
  const keep = new Array<boolean>(ops.length).fill(false);
  ops.forEach((op, k) => {
    if (op.kind === ' ') return;
    for (let c = Math.max(0, k - context); c <= Math.min(ops.length - 1, k + context); c++) keep[c] = true;
  });
  const out: string[] = [];
  let skipped = false;
  ops.forEach((op, k) => {
    if (!keep[k]) {
      skipped = true;
      return;
    }
    if (skipped && out.length > 0) out.push('  …');
    skipped = false;
    out.push(`${op.kind} ${op.line}`);
  });
  return out;
}

/**
 * A change's diff as it may be shown: the files hold the served hooks' token, servers' headers and keys, so each line
 * is masked as `config` masks values (by key), then scrubbed of every secret registered or of a known format.
 */
export const shownDiff = (c: FileChange): string[] =>
  renderDiff(c.before, c.after).map((line) => scrubString(displayConfigLine(line)));
