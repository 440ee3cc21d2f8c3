// The programs taskhooks starts are found on the PATH alone: a relative or empty PATH entry (the working folder, where
// a cloned repository may hold a git or git.exe) is never searched nor handed to a child, Windows' PATHEXT names the
// files a bare name may be, and a program found nowhere is an error that names it and what to do.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOnPath, ProgramNotFoundError, programToRun } from '../../src/util/executable.js';
import { absolutePathValue, withAbsolutePath } from '../../src/util/child-process.js';

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
    expect(programToRun('git', { PATH: empty }, 'linux')).toBeInstanceOf(ProgramNotFoundError);
  });

  it('makes a bare name absolute on every system, past the empty and relative entries exec would search', () => {
    const repository = folderWith('git');
    const installed = folderWith('git');
    const relative = path.relative(process.cwd(), repository);
    const env = { PATH: pathOf('', relative, '.', installed, '') };
    for (const platform of ['linux', 'darwin'] as const)
      expect(programToRun('git', env, platform)).toBe(path.join(installed, 'git'));
    // A name holding a folder is the caller's own path; a backslash is no folder but on Windows.
    expect(programToRun('./bin/tool', env, 'linux')).toBe('./bin/tool');
    expect(programToRun('odd\\name', env, 'linux')).toBeInstanceOf(ProgramNotFoundError);
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

describe("a child's PATH", () => {
  it('keeps the absolute entries in their order and drops the empty and relative ones', () => {
    expect(absolutePathValue(':/usr/bin::bin:.:/opt/x y/bin:', path.posix)).toBe('/usr/bin:/opt/x y/bin');
    expect(absolutePathValue('C:\\Git\\cmd;;.;tools;D:\\bin', path.win32)).toBe('C:\\Git\\cmd;D:\\bin');
    // Nothing absolute left: no PATH at all, since an empty one would be the working folder again.
    expect(absolutePathValue(':.:bin', path.posix)).toBeUndefined();
  });

  it('is kept so in a whole environment handed on, whatever the case of its name, the rest as it is', () => {
    const env = { PATH: pathOf('', '/usr/bin', '.'), Path: 'bin', HOME: '/home/u', EMPTY: '' };
    expect(withAbsolutePath(env)).toEqual({ PATH: '/usr/bin', HOME: '/home/u', EMPTY: '' });
    expect(env.PATH).toBe(pathOf('', '/usr/bin', '.'));
  });
});
