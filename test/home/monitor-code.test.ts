// A command names the code the running monitor runs (version, build, folder), and says so when that is another build
// than its own: another version, another build id, a monitor from before build ids, or another copy.
import { expect, it } from 'vitest';
import type { MonitorInfo } from '../../src/home/files.js';
import { monitorCode, otherMonitorCode, otherMonitorLine, type ThisCode } from '../../src/home/monitor-info.js';
import { packageRoot, packageVersion } from '../../src/util/package.js';

const info = (over: Partial<MonitorInfo>): MonitorInfo =>
  ({ pid: 1, startedAt: 0, hookPort: null, taskSchedule: '', gitSchedule: '', ...over }) as MonitorInfo;

const built: ThisCode = { version: '0.2.0', buildId: '0123456789ab', commit: 'fedcba987654', codeRoot: '/opt/th' };

it('names the version, build and folder of the running monitor', () => {
  expect(monitorCode(info({ version: '0.2.0', buildId: '0123456789ab', codeRoot: '/opt/taskhooks' }))).toBe(
    'taskhooks 0.2.0 (build 0123456789ab) from /opt/taskhooks',
  );
  expect(monitorCode(info({ version: '0.1.0', codeRoot: '/opt/taskhooks' }))).toBe(
    'taskhooks 0.1.0 (no build id) from /opt/taskhooks',
  );
  expect(monitorCode(info({}))).toBe('taskhooks (version unknown) (no build id) from (folder unknown)');
});

it('is silent for this copy, and names another copy or version with the way to run this one', () => {
  expect(otherMonitorCode(info({ version: packageVersion(), codeRoot: packageRoot() }))).toBeUndefined();
  const other = otherMonitorCode(info({ version: packageVersion(), codeRoot: '/home/sam/clone' }));
  expect(other).toBe(`the copy in /home/sam/clone, where this command is ${packageRoot()}`);
  expect(otherMonitorCode(info({ version: '0.0.9', codeRoot: packageRoot() }))).toMatch(/^taskhooks 0\.0\.9, where/);
  expect(otherMonitorLine(other as string)).toMatch(/`taskhooks monitor start` replaces it with this copy's$/);
});

it('counts a monitor that does not say its version, or its build to a built command, as another build', () => {
  expect(otherMonitorCode(info({ codeRoot: '/opt/th' }), built)).toBe(
    'taskhooks (version unknown), where this command is 0.2.0',
  );
  expect(otherMonitorCode(info({ version: '0.2.0', codeRoot: '/opt/th' }), built)).toBe(
    'build (from before build ids) of taskhooks 0.2.0, where this command is build 0123456789ab',
  );
  expect(otherMonitorCode(info({ version: '0.2.0', buildId: 'ffffffffffff', codeRoot: '/opt/th' }), built)).toMatch(
    /^build ffffffffffff of taskhooks 0\.2\.0, where this command is build 0123456789ab$/,
  );
  expect(otherMonitorCode(info({ version: '0.2.0', buildId: '0123456789ab', codeRoot: '/opt/th' }), built)).toBe(
    undefined,
  );
});
