import { expect, it } from 'vitest';
import { addAlert, takeUnshownAlerts, type Alert } from '../../src/cache/alerts.js';
import { retakeAlerts } from '../../src/cache/alerts-retold.js';

import { cacheEachTest, T0 } from '../helpers/cache.js';

const { open } = cacheEachTest();

it('alerts are recorded once and shown once', () => {
  const s = open();
  const a = {
    sourceKey: 'k',
    project: 'p',
    kind: 'new_priority_task' as const,
    taskId: 'T-9',
    message: 'urgent task T-9',
  };
  expect(s.write(() => addAlert(s, a, T0))).toBe(true);
  expect(s.write(() => addAlert(s, a, T0))).toBe(false);
  expect(s.write(() => addAlert(s, { ...a, taskId: 'T-10' }, T0))).toBe(true);
  const shown = takeUnshownAlerts(s, 'k', 'p', T0 + 1);
  expect(shown.map((x) => x.taskId)).toEqual(['T-9', 'T-10']);
  expect(shown[0]).toMatchObject({ message: 'urgent task T-9', createdAt: T0, kind: 'new_priority_task' });
  expect(takeUnshownAlerts(s, 'k', 'p', T0 + 2)).toEqual([]);
});

it("a run after a monitor too late to reach its session tells it that session's alerts again, once; no other's", () => {
  const s = open();
  s.write(() => addAlert(s, { sourceKey: 'k', project: 'p', kind: 'task_blocked', taskId: 'T-9', message: 'T-9' }, T0));
  const ids = (alerts: Alert[]) => alerts.map((a) => a.taskId);
  // The monitor's run took it for s1, and its answer never reached the session.
  expect(ids(takeUnshownAlerts(s, 'k', 'p', T0 + 1, 's1'))).toEqual(['T-9']);
  expect(takeUnshownAlerts(s, 'k', 'p', T0 + 2, 's2')).toEqual([]);
  expect(retakeAlerts(s, 'k', 'p', 's2')).toEqual([]);
  expect(ids(retakeAlerts(s, 'k', 'p', 's1'))).toEqual(['T-9']);
  expect(retakeAlerts(s, 'k', 'p', 's1')).toEqual([]);
});
