// SessionStart as Claude Code runs install's exec form on Windows (no shell: the node hook asks the monitor first, then
// answers itself): a monitor that takes the event and answers too late must not leave the session without it.
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { takeEventLease } from '../../src/cache/event-leases.js';
import { eventKey } from '../../src/hooks/input/event-key.js';
import { ASK_MONITOR_ARG } from '../../src/home/monitor-late.js';
import {
  demoProject,
  hookEnv,
  onMonitorSocket,
  parseHookStdout,
  ROOT,
  sessionStartInput,
  withHomeCache,
} from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Runs the exec-form SessionStart on `input` in `home`'s world. */
function runStartCommand(home: string, cwd: string, input: object): Promise<string> {
  const command = process.execPath;
  const args = [path.join(ROOT, 'dist', 'hooks', 'session-start.js'), ASK_MONITOR_ARG];
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { cwd, env: hookEnv(home), timeout: 30_000 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
    child.stdin?.end(JSON.stringify(input));
  });
}

/** A monitor on `home`'s socket that takes each event it is asked, as the real one does first, and never answers. */
async function lateMonitor(home: string): Promise<{ asked: () => number }> {
  let asked = 0;
  const server = http.createServer((req) => {
    const body: Buffer[] = [];
    req.on('data', (b: Buffer) => body.push(b));
    req.on('end', () => {
      asked++;
      const key = eventKey(JSON.parse(Buffer.concat(body).toString('utf8')) as Record<string, unknown>);
      if (key) withHomeCache(home, (cache) => takeEventLease(cache, key));
    });
  });
  cleanups.push(await onMonitorSocket(server, home));
  return { asked: () => asked };
}

const contextOf = (stdout: string): string =>
  (parseHookStdout(stdout)?.hookSpecificOutput as { additionalContext?: string } | undefined)?.additionalContext ?? '';

describe('the exec-form SessionStart command', () => {
  it('answers from the node hook when the monitor took the event but did not answer in time', async () => {
    const { repo, home, cleanup } = demoProject();
    cleanups.push(cleanup);
    const monitor = await lateMonitor(home);

    const stdout = await runStartCommand(home, repo.dir, sessionStartInput(repo.dir, 'late-1'));

    expect(monitor.asked()).toBe(1);
    expect(contextOf(stdout)).toContain('[taskhooks] project demo, branch main');
  });

  it('is told once when two registrations both find the monitor late', async () => {
    const { repo, home, cleanup } = demoProject();
    cleanups.push(cleanup);
    const monitor = await lateMonitor(home);
    const input = sessionStartInput(repo.dir, 'late-2');

    const outs = await Promise.all([runStartCommand(home, repo.dir, input), runStartCommand(home, repo.dir, input)]);

    expect(monitor.asked()).toBe(2);
    expect(outs.map(contextOf).filter((c) => c.includes('[taskhooks] project demo'))).toHaveLength(1);
  });

  it('with no monitor to ask, leaves an event another registration answered to it', async () => {
    const { repo, home, cleanup } = demoProject();
    cleanups.push(cleanup);
    const input = sessionStartInput(repo.dir, 'down-1');
    withHomeCache(home, (cache) => takeEventLease(cache, eventKey(input) ?? ''));

    expect(await runStartCommand(home, repo.dir, input)).toBe('');
  });
});
