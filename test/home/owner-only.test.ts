// NTFS has no mode bits: on Windows the state directory is made its owner's alone by icacls, which Wine's stub
// accepts without applying (test/e2e/windows.test.ts runs it there); the command itself is checked here.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ownerOnlyAcl, restrictToOwner } from '../../src/home/owner-only.js';

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
