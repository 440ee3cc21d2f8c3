import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { homeFiles } from '../../src/home/files.js';
import { postNotice, takeNotices } from '../../src/home/notices.js';
import { pruneToldNotices, retellNotices } from '../../src/home/notices-told.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function home(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-notices-told-'));
  dirs.push(dir);
  return dir;
}

const MIN = 60_000;
const sessionFiles = (h: string) => readdirSync(path.join(homeFiles(h).notices, 'session'));

it('keeps a notice told to a session for that session alone, told again once', () => {
  const h = home();
  // Posted a millisecond apart: two in the same one would sort by their names' random part.
  const posted = Date.now();
  postNotice(h, 'first', posted);
  postNotice(h, 'second', posted + 1);
  expect(takeNotices(h, 'session', false, 'sess-1')).toEqual(['first', 'second']);
  expect(takeNotices(h, 'session', false, 'sess-2')).toEqual([]);
  expect(retellNotices(h, 'sess-2')).toEqual([]);
  expect(retellNotices(h, 'sess-1')).toEqual(['first', 'second']);
  expect(retellNotices(h, 'sess-1')).toEqual([]);
  expect(sessionFiles(h)).toEqual([]);
});

it('keeps nothing told without a session, and on the CLI channel', () => {
  const h = home();
  postNotice(h, 'once');
  expect(takeNotices(h, 'session')).toEqual(['once']);
  expect(takeNotices(h, 'cli', false, 'sess-1')).toEqual(['once']);
  expect(sessionFiles(h)).toEqual([]);
  expect(retellNotices(h, 'sess-1')).toEqual([]);
});

it('lets a told notice go ten minutes after it was told, when the monitor prunes and when one is retold', () => {
  const h = home();
  postNotice(h, 'old');
  const toldAt = Date.now();
  takeNotices(h, 'session', false, 'sess-1');
  pruneToldNotices(h, toldAt + 5 * MIN);
  expect(sessionFiles(h)).toHaveLength(1);
  expect(retellNotices(h, 'sess-2', toldAt + 5 * MIN)).toEqual([]);
  expect(sessionFiles(h)).toHaveLength(1);
  pruneToldNotices(h, toldAt + 11 * MIN);
  expect(sessionFiles(h)).toEqual([]);

  postNotice(h, 'late');
  takeNotices(h, 'session', false, 'sess-1');
  expect(retellNotices(h, 'sess-1', Date.now() + 11 * MIN)).toEqual([]);
});
