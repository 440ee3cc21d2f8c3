// A command names the code the running monitor runs, and says so when that is another copy or version than its own.
import { expect, it } from 'vitest';
import type { MonitorInfo } from '../../src/home/files.js';
import { monitorCode, otherMonitorCode, otherMonitorLine } from '../../src/home/monitor-info.js';
import { packageRoot, packageVersion } from '../../src/util/package.js';

const info = (over: Partial<MonitorInfo>): MonitorInfo =>
  ({ pid: 1, startedAt: 0, hookPort: null, taskSchedule: '', gitSchedule: '', ...over }) as MonitorInfo;

it('names the version and folder of the running monitor', () => {
  expect(monitorCode(info({ version: '0.1.0', codeRoot: '/opt/taskhooks' }))).toBe(
    'taskhooks 0.1.0 from /opt/taskhooks',
  );
});

it('is silent for this copy, and names another copy or version with the way to run this one', () => {
  expect(otherMonitorCode(info({ version: packageVersion(), codeRoot: packageRoot() }))).toBeUndefined();
  const other = otherMonitorCode(info({ version: packageVersion(), codeRoot: '/home/sam/clone' }));
  expect(other).toBe(`the copy in /home/sam/clone, where this command is ${packageRoot()}`);
  expect(otherMonitorCode(info({ version: '0.0.9', codeRoot: packageRoot() }))).toMatch(/^taskhooks 0\.0\.9, where/);
  expect(otherMonitorLine(other as string)).toMatch(
    /`taskhooks monitor stop` then `taskhooks monitor start` runs this copy's$/,
  );
});
