// The monitor's watch on its home counts from the home the lock was taken in: a home deleted, or deleted and made
// again, while the monitor was still starting (before the watch began) is noticed at once, not never.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, type Stats, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { homeFiles } from '../../src/home/files.js';
import { watchHome } from '../../src/monitor/watch/home-watch.js';

const undo: Array<() => void> = [];
afterEach(() => {
  for (const u of undo.splice(0)) u();
});

/** A home with its lock file, its identity as a starting monitor takes it, and where it lies. */
function startedHome(): { home: string; first: Stats; parent: string } {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'th-home-watch-'));
  undo.push(() => rmSync(parent, { recursive: true, force: true }));
  const home = path.join(parent, 'home');
  mkdirSync(home, { mode: 0o700 });
  writeFileSync(homeFiles(home).lock, '{}');
  return { home, first: statSync(home), parent };
}

/** The reason the watch gives, once it gives one. */
function lost(home: string, first: Stats): Promise<string> {
  return new Promise((resolve) => undo.push(watchHome(home, first, () => true, resolve)));
}

it('hears a home deleted before the watch began', async () => {
  const { home, first } = startedHome();
  rmSync(home, { recursive: true });
  expect(await lost(home, first)).toBe(`${home} was deleted`);
});

it('hears a home deleted and made again before the watch began', async () => {
  const { home, first } = startedHome();
  const lock = homeFiles(home).lock;
  writeFileSync(lock, 'this monitor');
  rmSync(home, { recursive: true });
  mkdirSync(home, { mode: 0o700 });
  writeFileSync(lock, 'another monitor');
  // The new directory may get the old one's inode back: the lock, rewritten by another monitor, tells then.
  const holds = () => readFileSync(lock, 'utf8') === 'this monitor';
  const why = await new Promise<string>((resolve) => undo.push(watchHome(home, first, holds, resolve)));
  expect(why).toMatch(/^(.+ was deleted and made again|the lock .+ no longer names this monitor)$/);
});

it('says nothing while the home is the one it started in and the lock is held', async () => {
  const { home, first } = startedHome();
  let said: string | undefined;
  undo.push(
    watchHome(
      home,
      first,
      () => true,
      (why) => (said = why),
    ),
  );
  writeFileSync(homeFiles(home).lock, '{"rewritten":true}');
  await new Promise((r) => setTimeout(r, 400));
  expect(said).toBeUndefined();
});
