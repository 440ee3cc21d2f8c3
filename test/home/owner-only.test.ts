// NTFS has no mode bits: on Windows the state directory is made its owner's alone by icacls, which Wine's stub
// accepts without applying (test/e2e/windows.test.ts runs it there); the command itself is checked here.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { othersInAcl, ownerOnlyAcl, restrictToOwner } from '../../src/home/owner-only.js';

it('removes inherited access and grants the user alone full control, passed on to what is made inside', () => {
  const dir = 'C:\\Users\\Jo Doe\\.taskhooks';
  expect(ownerOnlyAcl(dir, { USERNAME: 'Jo Doe', USERDOMAIN: 'SHOP' })).toEqual([
    dir,
    '/inheritance:r',
    '/grant:r',
    'SHOP\\Jo Doe:(OI)(CI)F',
  ]);
  expect(ownerOnlyAcl(dir, { USERNAME: 'jo' })).toEqual([dir, '/inheritance:r', '/grant:r', 'jo:(OI)(CI)F']);
});

it('leaves the mode bits to do it elsewhere, running nothing', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'owner-only-'));
  try {
    const before = statSync(dir).mode;
    restrictToOwner(dir, 'linux');
    expect(statSync(dir).mode).toBe(before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("reads from icacls' listing who besides the owner a folder lets in", () => {
  const dir = 'C:\\Users\\Jo Doe\\.taskhooks';
  const mine = `${dir} SHOP\\Jo Doe:(OI)(CI)(F)\n\nSuccessfully processed 1 files; Failed processing 0 files\n`;
  expect(othersInAcl(mine)).toBeUndefined();
  const inherited = `${dir} SHOP\\Jo Doe:(OI)(CI)(F)\n${' '.repeat(dir.length)} BUILTIN\\Users:(I)(OI)(CI)(RX)\n`;
  expect(othersInAcl(inherited)).toBe('BUILTIN\\Users');
  expect(othersInAcl(`${dir} Everyone:(R)\n`)).toBe('Everyone');
});

it('grants a file the same, with no flags passing it on: a file has nothing inside', () => {
  const file = 'C:\\src\\shop\\.mcp.json';
  expect(ownerOnlyAcl(file, { USERNAME: 'jo' }, 'file')).toEqual([file, '/inheritance:r', '/grant:r', 'jo:F']);
});
