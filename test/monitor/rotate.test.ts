import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger } from '../../src/log/index.js';
import { rotateIfNeeded } from '../../src/monitor/rotate.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'th-rotate-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('rotateIfNeeded', () => {
  it('leaves a small file alone', () => {
    const file = path.join(home, 'monitor.log');
    writeFileSync(file, 'small');
    let reopened = 0;
    expect(rotateIfNeeded(file, 100, 3, () => reopened++)).toBe(false);
    expect(reopened).toBe(0);
  });

  it('shifts generations, keeps at most `keep`, and the logger writes to a fresh file', () => {
    const fl = createFileLogger({ home, file: 'monitor.log', sync: true, name: 'monitor' });
    for (let gen = 1; gen <= 5; gen++) {
      fl.logger.info({ gen }, 'x'.repeat(200));
      expect(rotateIfNeeded(fl.file, 100, 3, fl.reopen)).toBe(true);
    }
    fl.logger.info('after rotation');
    fl.flush();
    expect(readFileSync(fl.file, 'utf8')).toContain('after rotation');
    expect(readFileSync(`${fl.file}.1`, 'utf8')).toContain('"gen":5');
    expect(readFileSync(`${fl.file}.3`, 'utf8')).toContain('"gen":3');
    expect(existsSync(`${fl.file}.4`)).toBe(false);
  });
});
