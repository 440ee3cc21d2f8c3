// The built-in store is called so wherever a user reads about it: the store server's loopback port dies with
// its monitor, so neither the context, `monitor status` nor `doctor` names it as the place tasks came from.
import { describe, expect, it } from 'vitest';
import { makeRepoFor } from './fixtures.js';
import { perTest } from './helpers.js';
import { ROOMY_DEADLINES } from '../helpers/hooks.js';

const t = perTest();

/** The lines of `text` that name a loopback URL. */
const loopbackLines = (text: string): string[] => text.split('\n').filter((l) => l.includes('http://127.0.0.1:'));

describe('the built-in store, served by the monitor', () => {
  it('is called the built-in store in the context, monitor status and doctor, across a restart of the monitor', () => {
    const m = t.home({ hooks: ROOMY_DEADLINES });
    const repo = makeRepoFor('demo');
    t.undo(repo.cleanup);
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    const added = m.cli(['tasks', 'add', 'Fix login'], repo.dir);
    expect(added.stdout, added.stderr).toContain('Added TASK-001 (every branch): Fix login');

    const context = m.cli(['context'], repo.dir);
    expect(context.stdout, context.stderr).toMatch(
      /\[taskhooks\] project demo, branch main: 1 pending task \((live from built-in store|as of .* ago, from built-in store)\)\./,
    );
    expect(context.stdout).not.toContain('127.0.0.1');

    const status = m.cli(['monitor', 'status']);
    expect(status.stdout).toMatch(/^built-in store via the monitor\s+ok\s/m);
    // The head names where the store is served now; no server row names a port.
    expect(loopbackLines(status.stdout)).toEqual([
      expect.stringMatching(/^Monitor: running .*the built-in store served at/),
    ]);

    const doctor = m.cli(['doctor'], repo.dir);
    expect(doctor.stdout).toContain('built-in store via the monitor answered initialize and tools/list');

    expect(m.cli(['monitor', 'stop']).code).toBe(0);
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    expect(m.cli(['tasks', 'list'], repo.dir).stdout).toContain('TASK-001');
    const restarted = m.cli(['monitor', 'status']);
    expect(restarted.stdout).toMatch(/^built-in store via the monitor\s+ok\s/m);
    expect(loopbackLines(restarted.stdout)).toHaveLength(1);
    expect(m.cli(['monitor', 'stop']).code).toBe(0);
  }, 120_000);
});
