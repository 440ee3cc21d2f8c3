// Failure paths of writing a plan that a root-run test cannot provoke from outside: injected file-system errors.
import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyIo } from '../../src/install/writing/apply.js';
import type { FileChange } from '../../src/install/planning/plan.js';

let dir: string;
/** The state directory's folder of locks, apart from the files written. */
let locks: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-apply-'));
  locks = path.join(mkdtempSync(path.join(os.tmpdir(), 'taskhooks-apply-state-')), 'file-locks');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.dirname(locks), { recursive: true, force: true });
});

const update = (file: string, before: string, after: string): FileChange => ({
  file,
  action: 'update',
  before,
  after,
  mode: 0o644,
  backup: true,
});

function failing(on: (p: string) => boolean, code: string): ApplyIo {
  const err = Object.assign(new Error(`${code}: injected`), { code });
  return {
    ...fs,
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      if (on(String(to))) throw err;
      fs.renameSync(from, to);
    },
  };
}

describe('applyPlan', () => {
  it('puts earlier files back and leaves no temp file when a later write fails', () => {
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    writeFileSync(a, '{"a":1}\n');
    writeFileSync(b, '{"b":1}\n');
    const io = failing((p) => p === b, 'EACCES');
    expect(() =>
      applyPlan([update(a, '{"a":1}\n', '{"a":2}\n'), update(b, '{"b":1}\n', '{"b":2}\n')], { io, locks }),
    ).toThrow(`cannot write ${b} (EACCES); nothing was changed`);
    expect(readFileSync(a, 'utf8')).toBe('{"a":1}\n');
    expect(readFileSync(b, 'utf8')).toBe('{"b":1}\n');
    expect(readdirSync(dir).filter((n) => n.includes('taskhooks-tmp'))).toEqual([]);
  });

  it('refuses a target the process may not write before touching anything', () => {
    const a = path.join(dir, 'a.json');
    writeFileSync(a, '{}\n');
    const io: ApplyIo = {
      ...fs,
      accessSync: () => {
        throw Object.assign(new Error('EROFS'), { code: 'EROFS' });
      },
    };
    expect(() => applyPlan([update(a, '{}\n', '{"x":1}\n')], { io, locks })).toThrow(`${a} is not writable (EROFS)`);
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('writes the backup with the original bytes and the file mode, and never overwrites one', () => {
    const a = path.join(dir, 'settings.local.json');
    writeFileSync(a, 'original', { mode: 0o600 });
    const now = new Date('2026-01-02T03:04:05.678Z');
    const change = { ...update(a, 'original', '{"x":1}\n'), mode: 0o600 };
    const [first] = applyPlan([change], { now, locks });
    const [second] = applyPlan([{ ...change, before: '{"x":1}\n', after: '{"x":2}\n' }], { now, locks });
    expect(first?.backup).toBe(`${a}.taskhooks-backup-20260102T030405678Z`);
    expect(second?.backup).toBe(`${a}.taskhooks-backup-20260102T030405678Z-1`);
    expect(readFileSync(first?.backup as string, 'utf8')).toBe('original');
    expect(fs.statSync(first?.backup as string).mode & 0o777).toBe(0o600);
    expect(fs.statSync(a).mode & 0o777).toBe(0o600);
  });

  it('writes through a symlinked settings file instead of replacing the link', () => {
    const real = path.join(dir, 'dotfiles-settings.json');
    const link = path.join(dir, 'settings.json');
    writeFileSync(real, '{}\n');
    fs.symlinkSync(real, link);
    applyPlan([{ ...update(link, '{}\n', '{"x":1}\n'), backup: false }], { locks });
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('{"x":1}\n');
  });
});
