// The programs taskhooks starts are found on the PATH alone: a relative or empty PATH entry (the working folder, where
// a cloned repository may hold a git.exe) is never searched, Windows' PATHEXT names the files a bare name may be, and
// a program found nowhere is an error that names it and what to do.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOnPath, ProgramNotFoundError, programToRun } from '../../src/util/executable.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh folder holding an executable file for each of `names`. */
function folderWith(...names: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-exe-'));
  dirs.push(dir);
  for (const name of names) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
  }
  return dir;
}

const pathOf = (...entries: string[]): string => entries.join(path.delimiter);

describe('finding a program on the PATH', () => {
  it('skips the empty and relative entries that mean the working folder', () => {
    const repository = folderWith('git.exe');
    const installed = folderWith('git.exe');
    // The repository reached relative to this process's working folder, as `.` reaches the folder a hook runs in.
    const relative = path.relative(process.cwd(), repository);
    expect(path.isAbsolute(relative)).toBe(false);
    const env = { PATH: pathOf('', relative, '.', installed), PATHEXT: '.EXE' };
    expect(findOnPath('git', env, 'win32')).toBe(path.join(installed, 'git.exe'));
    expect(programToRun('git', env, 'win32')).toBe(path.join(installed, 'git.exe'));
    expect(findOnPath('git', { PATH: pathOf('', relative) }, 'win32')).toBeUndefined();
  });

  it("tries each of PATHEXT's extensions in each folder, in order, and a name that has one as it is", () => {
    const first = folderWith('codex.cmd', 'codex');
    const second = folderWith('codex.exe');
    const env = { PATH: pathOf(first, second), PATHEXT: '.COM;.EXE;.BAT;.CMD' };
    // A folder earlier on the PATH wins, whichever extension it has; the extensionless file is no Windows program.
    expect(findOnPath('codex', env, 'win32')).toBe(path.join(first, 'codex.cmd'));
    expect(findOnPath('codex', { ...env, PATHEXT: '.EXE' }, 'win32')).toBe(path.join(second, 'codex.exe'));
    expect(findOnPath('codex.exe', env, 'win32')).toBe(path.join(second, 'codex.exe'));
    // Unset, PATHEXT is Windows' own default; elsewhere a name is the file's whole name.
    expect(findOnPath('codex', { PATH: second }, 'win32')).toBe(path.join(second, 'codex.exe'));
    expect(findOnPath('codex', env, 'linux')).toBe(path.join(first, 'codex'));
  });

  it('answers a program found nowhere with an error naming it and the fix, and keeps a name holding a folder', () => {
    const empty = folderWith();
    const missing = programToRun('icacls', { PATH: empty }, 'win32');
    expect(missing).toBeInstanceOf(ProgramNotFoundError);
    expect((missing as Error).message).toMatch(/cannot run icacls: .*PATH.*install it or add its folder to PATH/);
    expect(programToRun(path.join(empty, 'tool.exe'), { PATH: empty }, 'win32')).toBe(path.join(empty, 'tool.exe'));
    // Elsewhere exec searches the PATH alone already: the name is handed on as it is.
    expect(programToRun('git', { PATH: empty }, 'linux')).toBe('git');
  });

  it('finds a program once per process and PATH', () => {
    const dir = folderWith('perl.exe');
    const env = { PATH: dir, PATHEXT: '.EXE' };
    expect(programToRun('perl', env, 'win32')).toBe(path.join(dir, 'perl.exe'));
    rmSync(path.join(dir, 'perl.exe'));
    expect(programToRun('perl', env, 'win32')).toBe(path.join(dir, 'perl.exe'));
    expect(programToRun('perl', { ...env, PATH: pathOf(dir, dir) }, 'win32')).toBeInstanceOf(ProgramNotFoundError);
  });
});
