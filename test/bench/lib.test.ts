// The benches' reading of an strace log: which programs a traced session started, and their CPU.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOCK_TICKS, programsCell, programsStarted } from '../../bench/lib.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function trace(lines: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-bench-lib-'));
  dirs.push(dir);
  const file = path.join(dir, 'trace');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('programsStarted', () => {
  it('counts what the traced command started, whatever the width strace pads a pid to', () => {
    const file = trace([
      '2198  execve("/usr/bin/claude", ["claude", "-p", "hi"], 0x7ffd /* 35 vars */) = 0',
      '2199  execve("/usr/bin/sh", ["sh", "-c", "true"], 0x558a /* 35 vars */) = 0',
      '2200  execve("/root/.cargo/bin/node", ["node"], 0x558a /* 35 vars */) = -1 ENOENT (No such file or directory)',
      '2200  execve("/usr/bin/node", ["node", "x.js"], 0x558a /* 35 vars */) = 0',
      '12201 execve("/usr/bin/perl", ["perl"], 0x558a /* 35 vars */) = 0',
      '2198  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2200, si_uid=0, si_status=0, si_utime=5 /* 0.05 s */, si_stime=2 /* 0.02 s */} ---',
    ]);
    const byName = programsStarted(file);
    expect(byName).toEqual({
      sh: { count: 1, ms: 0 },
      node: { count: 1, ms: (7 * 1000) / CLOCK_TICKS },
      perl: { count: 1, ms: 0 },
    });
    expect(programsCell(byName)).toBe(
      `3 (sh ×1, 0 ms; node ×1, ${((7 * 1000) / CLOCK_TICKS).toFixed(0)} ms; perl ×1, 0 ms)`,
    );
  });

  it('sums several traces, each with a command of its own left out', () => {
    const one = trace([
      '10  execve("/usr/bin/claude", [], 0x1 /* 1 var */) = 0',
      '11  execve("/usr/bin/git", [], 0x1 /* 1 var */) = 0',
    ]);
    const two = trace([
      '20  execve("/usr/bin/claude", [], 0x1 /* 1 var */) = 0',
      '21  execve("/usr/bin/git", [], 0x1 /* 1 var */) = 0',
    ]);
    expect(programsCell(programsStarted(one, two))).toBe('2 (git ×2, 0 ms)');
    expect(programsCell({})).toBe('0');
  });
});
