// Every log file rotates: writers that come and go rotate at open, long-lived ones on demand, and a writer whose file
// another process rotated away follows it instead of writing on into the old generation.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger } from '../../src/log/index.js';
import { rotateIfNeeded } from '../../src/log/rotate.js';
import { runHook, sessionStartInput, tempHome } from '../helpers/hooks.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'th-rotate-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const limits = { maxBytes: 100, keep: 3 };

describe('log rotation', () => {
  it('leaves a small file alone', () => {
    const file = path.join(home, 'monitor.log');
    writeFileSync(file, 'small');
    let reopened = 0;
    expect(rotateIfNeeded(file, limits, () => reopened++)).toBe(false);
    expect(reopened).toBe(0);
    expect(rotateIfNeeded(path.join(home, 'absent.log'), limits)).toBe(false);
  });

  it('shifts generations, keeps at most `keep`, and the logger writes to a fresh file', () => {
    const fl = createFileLogger({ home, file: 'monitor.log', sync: true, name: 'monitor', limits });
    for (let gen = 1; gen <= 5; gen++) {
      fl.logger.info({ gen }, 'x'.repeat(200));
      expect(fl.rotate()).toBe(true);
    }
    fl.logger.info('after rotation');
    fl.flush();
    expect(readFileSync(fl.file, 'utf8')).toContain('after rotation');
    expect(readFileSync(`${fl.file}.1`, 'utf8')).toContain('"gen":5');
    expect(readFileSync(`${fl.file}.3`, 'utf8')).toContain('"gen":3');
    expect(existsSync(`${fl.file}.4`)).toBe(false);
  });

  it('a writer whose file another process rotated writes to the new file after its next check', () => {
    const a = createFileLogger({ home, file: 'server.log', sync: true, name: 'a', limits });
    const b = createFileLogger({ home, file: 'server.log', sync: true, name: 'b', limits });
    a.logger.info('x'.repeat(200));
    expect(a.rotate()).toBe(true);
    expect(b.rotate()).toBe(false);
    b.logger.info('b after the rotation');
    expect(readFileSync(b.file, 'utf8')).toContain('b after the rotation');
    expect(readFileSync(`${b.file}.1`, 'utf8')).not.toContain('b after the rotation');
  });

  it('a hook rotates hooks.log when it opens it, by the configured size', async () => {
    // A value the config refuses: the hook logs that it carries on with the default, through the configured logger.
    const t = tempHome({ monitor: { logMaxBytes: 1000, logFiles: 2 }, hooks: { maxPendingTasks: -5 } });
    try {
      const logs = path.join(t.home, 'logs');
      mkdirSync(logs, { recursive: true });
      writeFileSync(path.join(logs, 'hooks.log'), `${'{"old":true}\n'.repeat(200)}`);
      const run = await runHook('session-start', sessionStartInput(t.home), { home: t.home });
      expect(run.code).toBe(0);
      expect(readFileSync(path.join(logs, 'hooks.log.1'), 'utf8')).toContain('"old":true');
      const live = readFileSync(path.join(logs, 'hooks.log'), 'utf8');
      expect(live).not.toContain('"old":true');
      expect(live).toContain('hooks.maxPendingTasks');
    } finally {
      t.cleanup();
    }
  });
});
