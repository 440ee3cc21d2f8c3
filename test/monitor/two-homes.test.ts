// Two people (two TASKHOOKS_HOMEs) on one machine, with no setting: each monitor on a port of its own home, each
// served hooks, board, doctor and `monitor start` answering for its own home only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { homeHookPort } from '../../src/home/endpoint.js';
import { monitorHome, type MonitorHome } from './helpers.js';

const homes: MonitorHome[] = [];
afterEach(() => {
  for (const m of homes.splice(0)) {
    m.cli(['monitor', 'stop']);
    m.cleanup();
  }
});

it('each home gets its own monitor, served hooks, board and doctor, with no port configured', async () => {
  // No hookPort in the config: each home's own (the monitor tests' helper sets 0 unless told otherwise).
  const [dana, sam] = [0, 1].map(() => monitorHome({ monitor: { hookPort: undefined } })) as [MonitorHome, MonitorHome];
  homes.push(dana, sam);
  for (const m of [dana, sam]) {
    const started = m.cli(['monitor', 'start']);
    expect(started.code, started.stderr).toBe(0);
  }
  const [a, b] = [dana.info(), sam.info()];
  // Each its own home's port, unless another process holds that port: then one it found free, naming the held one.
  for (const [m, info] of [
    [dana, a],
    [sam, b],
  ] as const)
    expect(info?.hookPortHeld ?? info?.hookPort, m.home).toBe(homeHookPort(m.home));
  expect(a?.hookPort).not.toBe(b?.hookPort);
  expect(a?.pid).not.toBe(b?.pid);
  for (const m of [dana, sam]) {
    const info = m.info();
    // Its served hooks answer with its own home's token only.
    const token = readFileSync(path.join(m.home, 'hook-token'), 'utf8').trim();
    const post = (t: string) =>
      fetch(`http://127.0.0.1:${info?.hookPort}/hooks/user-prompt-submit`, {
        method: 'POST',
        headers: { 'x-taskhooks-token': t },
        body: JSON.stringify({ hook_event_name: 'UserPromptSubmit', cwd: m.home, session_id: 's', prompt: 'hi' }),
      });
    expect((await post(token)).status).toBe(200);
    const other = m === dana ? sam : dana;
    const otherToken = readFileSync(path.join(other.home, 'hook-token'), 'utf8').trim();
    expect((await post(otherToken)).status).toBe(401);
    const board = m.cli(['dashboard', '--no-open']);
    expect(board.code, board.stderr).toBe(0);
    expect(board.stdout).toContain(`http://127.0.0.1:${info?.hookPort}/dashboard/`);
    const status = m.cli(['monitor', 'status']);
    expect(status.stdout).toContain(`served hooks on 127.0.0.1:${info?.hookPort}`);
    const doctor = m.cli(['doctor', '--json']);
    const step = (
      JSON.parse(doctor.stdout) as { steps: Array<{ name: string; ok: boolean; detail: string }> }
    ).steps.find((s) => s.name === 'monitor');
    expect(step).toMatchObject({
      ok: true,
      detail: expect.stringContaining(`served hooks on 127.0.0.1:${info?.hookPort}`),
    });
  }
});
