// Project paths as Windows gives them, through the platform seam: a drive letter in either case, git's forward
// slashes, a share (UNC), the long-path prefix and a path past 260 characters each name one folder, so a project is
// registered, trusted and kept out of git once whichever way its path came.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listProjects, registerProject, unregisterProject } from '../../src/cache/registered-projects.js';
import { isTrusted, revokeTrust, trustFiles } from '../../src/config/trust.js';
import { excludeLine } from '../../src/install/git/info-exclude.js';
import { plainWindowsPath, samePath } from '../../src/util/windows-path.js';
import { cacheEachTest, T0 } from '../helpers/cache.js';

const { open } = cacheEachTest();
const LONG = `C:\\Users\\me\\${'deep folder\\'.repeat(24)}shop`;
const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

describe('a Windows path read plainly', () => {
  it('drops the long-path prefix, reads / as \\ and compares without case, a share as a share', () => {
    expect(LONG.length).toBeGreaterThan(260);
    expect(plainWindowsPath(`\\\\?\\${LONG}`)).toBe(LONG);
    expect(plainWindowsPath('\\\\?\\UNC\\server\\share\\proj')).toBe('\\\\server\\share\\proj');
    expect(plainWindowsPath('C:/Users/me/My Projects/shop/')).toBe('C:\\Users\\me\\My Projects\\shop');
    expect(plainWindowsPath('C:\\')).toBe('C:\\');
    expect(samePath('c:\\users\\ME\\shop', 'C:/Users/me/shop', 'win32')).toBe(true);
    expect(samePath(`\\\\?\\${LONG}`, LONG.toLowerCase(), 'win32')).toBe(true);
    expect(samePath('\\\\?\\UNC\\server\\share\\proj', '\\\\SERVER\\share\\proj', 'win32')).toBe(true);
    expect(samePath('\\\\server\\share\\proj', '\\\\server\\share\\other', 'win32')).toBe(false);
    // Linux and macOS keep comparing exactly.
    expect(samePath('/a/Shop', '/a/shop', 'linux')).toBe(false);
  });
});

describe('registered projects on Windows', () => {
  it('one project whatever case its root comes in; uninstall forgets it by any form of its path', () => {
    const s = open();
    const reg = (root: string) =>
      registerProject(s, { root, name: 'shop', sourceKey: 'k', registeredBy: 'install' }, T0, 'win32');
    reg('c:\\users\\me\\my projects\\shop');
    reg('C:\\Users\\me\\My Projects\\shop');
    expect(listProjects(s).map((p) => p.root)).toEqual(['c:\\users\\me\\my projects\\shop']);
    reg('\\\\?\\C:\\Users\\me\\My Projects\\shop');
    reg('\\\\server\\share\\proj');
    expect(unregisterProject(s, 'C:/Users/me/My Projects/shop', 'win32')).toBe(true);
    expect(unregisterProject(s, '\\\\?\\UNC\\SERVER\\share\\proj', 'win32')).toBe(true);
    expect(listProjects(s)).toEqual([]);
  });
});

describe('trust on Windows', () => {
  it('a trusted file stays trusted under another case of its path, and is revoked by either', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'th-wintrust-'));
    homes.push(home);
    const file = 'C:\\Users\\me\\My Projects\\shop\\.claude\\taskhooks.json';
    trustFiles(home, [{ file, text: '{}' }], new Date(T0), 'win32');
    expect(isTrusted(home, 'c:\\users\\me\\my projects\\shop\\.claude\\taskhooks.json', '{}', 'win32')).toBe(true);
    expect(isTrusted(home, file, '{"changed":1}', 'win32')).toBe(false);
    expect(revokeTrust(home, [file.toUpperCase()], 'win32')).toBe(1);
    expect(isTrusted(home, file, '{}', 'win32')).toBe(false);
  });
});

describe("git's top on Windows", () => {
  it("anchors the exclude line below git's C:/… top, the file in any case or form", () => {
    const top = 'C:/Users/me/My Projects/shop';
    expect(excludeLine(top, 'c:\\users\\me\\my projects\\shop\\.claude\\settings.local.json', 'win32')).toBe(
      '/.claude/settings.local.json',
    );
    expect(excludeLine(top, '\\\\?\\C:\\Users\\me\\My Projects\\shop\\.mcp.json', 'win32')).toBe('/.mcp.json');
    expect(excludeLine('//server/share/proj', '\\\\?\\UNC\\server\\share\\proj\\.mcp.json', 'win32')).toBe(
      '/.mcp.json',
    );
  });
});
