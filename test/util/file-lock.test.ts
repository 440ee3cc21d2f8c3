// Taking over an abandoned lock: only the process that makes the takeover file replaces the lock, and only while the
// lock still holds what it judged abandoned, so two waiters never both go on holding it.
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { takeOverAbandonedLock } from '../../src/util/file-lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A lock file holding `content`, in a folder of its own. */
function lock(content: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-file-lock-'));
  dirs.push(dir);
  const file = path.join(dir, 'x.lock');
  writeFileSync(file, content);
  return file;
}

describe('takeOverAbandonedLock', () => {
  it('replaces the lock it judged abandoned, and leaves no takeover file', () => {
    const file = lock('111');
    expect(takeOverAbandonedLock(file, '111', '222')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('222');
    expect(existsSync(`${file}.takeover`)).toBe(false);
  });

  it('leaves a lock another process took since it was judged', () => {
    const file = lock('333');
    expect(takeOverAbandonedLock(file, '111', '222')).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('333');
    expect(existsSync(`${file}.takeover`)).toBe(false);
  });

  it("waits out another process's takeover, and removes one its maker died in", () => {
    const file = lock('111');
    const takeover = `${file}.takeover`;
    writeFileSync(takeover, '444');
    expect(takeOverAbandonedLock(file, '111', '222')).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('111');
    expect(readFileSync(takeover, 'utf8')).toBe('444');
    // Past the 2 s grace a takeover is one whose maker died in it.
    utimesSync(takeover, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
    expect(takeOverAbandonedLock(file, '111', '222')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('222');
    expect(existsSync(takeover)).toBe(false);
  });
});
