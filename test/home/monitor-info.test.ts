// The running monitor answers its own facts from memory in its own process (its served hooks ask at every session's
// start), and only while its home is still its own; any other process, and the monitor once stopped, reads the files.
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { homeFiles, type MonitorInfo } from '../../src/home/files.js';
import { acquireLock } from '../../src/home/lock.js';
import { holdOwnMonitorInfo, readMonitorInfo, writeMonitorInfo } from '../../src/home/monitor-info.js';
import { tempDir } from '../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('th-monitor-info-');
});
afterEach(() => tmp.remove());

const info = (pid: number): MonitorInfo =>
  ({ pid, startedAt: Date.now(), hookPort: 4321, taskSchedule: '', gitSchedule: '' }) as MonitorInfo;

it('answers from memory while the home is its own, and from the files once that ends or the hold is undone', () => {
  const home = tmp.dir;
  const lock = acquireLock(home);
  if (!lock.acquired) throw new Error('the test could not take its own lock');
  const own = info(process.pid);
  writeMonitorInfo(home, own);
  let valid = true;
  const undo = holdOwnMonitorInfo(home, own, () => valid);
  // The files gone, the process that holds them still knows what they said.
  rmSync(homeFiles(home).info);
  expect(readMonitorInfo(home)).toBe(own);
  expect(readMonitorInfo(`${home}/other`)).toBeUndefined();
  valid = false;
  expect(readMonitorInfo(home)).toBeUndefined();
  valid = true;
  undo();
  expect(readMonitorInfo(home)).toBeUndefined();
  writeMonitorInfo(home, own);
  expect(readMonitorInfo(home)).toEqual(own);
  lock.release();
  expect(readMonitorInfo(home)).toBeUndefined();
});

it('holds nothing for facts that are not this process', () => {
  const home = tmp.dir;
  const lock = acquireLock(home);
  if (!lock.acquired) throw new Error('the test could not take its own lock');
  const other = info(process.pid + 1);
  const undo = holdOwnMonitorInfo(home, other, () => true);
  expect(readMonitorInfo(home)).toBeUndefined();
  undo();
  lock.release();
});
