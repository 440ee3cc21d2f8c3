// A `--json` command answers JSON or fails out loud (a line on stderr, a non-zero exit), never an empty success: under
// a crowd of writers and readers at once, and when the process runs out of things to wait on before it answered.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failIfUnsettled } from '../../src/cli/unsettled.js';
import { describeRun, runCli, type CliRun } from '../helpers/cli.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';

let repo: TempRepo;
let home: { home: string; cleanup(): void };
beforeEach(() => {
  repo = makeRepo({ name: 'shop', branch: 'main', commits: ['initial'] });
  home = tempHome();
});
afterEach(() => {
  repo.cleanup();
  home.cleanup();
});

const cli = (...args: string[]): Promise<CliRun> =>
  runCli(args, { cwd: repo.dir, env: { ...hookEnv(home.home), HOME: home.home, NO_COLOR: '1' } });

/** Either JSON on stdout with exit 0, or a non-zero exit with its reason on stderr. */
function answeredOrSaidWhy(r: CliRun): void {
  if (r.code === 0) expect(() => JSON.parse(r.stdout), describeRun(r)).not.toThrow();
  else expect(r.stderr.trim(), describeRun(r)).not.toBe('');
}

it('every --json read and write among twenty at once answers JSON or says why it failed', async () => {
  const first = await cli('tasks', 'add', 'Seed', '--json');
  answeredOrSaidWhy(first);
  const runs = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? cli('tasks', 'add', `Task ${i}`, '--json')
        : i % 4 === 1
          ? cli('tasks', 'list', '--json')
          : cli('tasks', 'show', 'TASK-001', '--json'),
    ),
  );
  for (const r of runs) answeredOrSaidWhy(r);
  // A write waits out the others' locks: every one lands, none is refused for a busy store.
  expect(runs.filter((r) => r.code !== 0).map(describeRun)).toEqual([]);
}, 300_000);

it('a command still pending when the process exits fails with a line on stderr and exit 1', async () => {
  const written: string[] = [];
  const proc = Object.assign(new EventEmitter(), {
    exitCode: undefined as number | undefined,
    stderr: { write: (text: string) => written.push(text) },
  });
  void failIfUnsettled(new Promise<number>(() => {}), proc, 'taskhooks tasks list');
  proc.emit('exit', 0);
  expect(proc.exitCode).toBe(1);
  expect(written.join('')).toMatch(/^taskhooks tasks list ended before it finished: .*printed nothing/);
});

it('a command that settled is left to its own exit code', async () => {
  const written: string[] = [];
  const proc = Object.assign(new EventEmitter(), {
    exitCode: undefined as number | undefined,
    stderr: { write: (text: string) => written.push(text) },
  });
  expect(await failIfUnsettled(Promise.resolve(0), proc, 'taskhooks tasks list')).toBe(0);
  proc.emit('exit', 0);
  expect({ exitCode: proc.exitCode, written }).toEqual({ exitCode: undefined, written: [] });
});
