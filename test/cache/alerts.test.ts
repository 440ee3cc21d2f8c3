import { expect, it } from 'vitest';
import { addAlert, takeUnshownAlerts } from '../../src/cache/alerts.js';

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
