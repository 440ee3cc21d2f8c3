// A token in a branch name (pasted into `git switch -c`, say) is masked everywhere taskhooks prints or logs the branch:
// the session's context, `taskhooks context`, the --json of `tasks list` and `sessions`, and hooks.log.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, ROOT, runHook, sessionStartInput, tempHome } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

// A GitHub token's published format: ghp_ and 36 letters and digits (no real token).
const TOKEN = `ghp_${'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A'.slice(0, 36)}`;

it('is masked in the context, `taskhooks context`, --json output and hooks.log', async () => {
  const repo = makeRepo({ name: 'shop', branch: `fix/${TOKEN}`, commits: ['initial commit'] });
  cleanups.push(repo.cleanup);
  const home = tempHome({});
  cleanups.push(home.cleanup);
  const env = { ...hookEnv(home.home), NO_COLOR: '1' };
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd: repo.dir, env });

  await cli('tasks', 'add', 'Fix the checkout total');
  const start = await runHook('session-start', sessionStartInput(repo.dir, 's-1'), { home: home.home });
  const context = String(start.output?.hookSpecificOutput.additionalContext);
  expect(context).toContain('fix/');
  const printed = [
    context,
    (await cli('context', '--offline')).stdout,
    (await cli('context', '--offline', '--json')).stdout,
    (await cli('tasks', 'list', '--json')).stdout,
    (await cli('sessions', '--json')).stdout,
    readFileSync(path.join(home.home, 'logs', 'hooks.log'), 'utf8'),
  ];
  for (const text of printed) expect(text).not.toContain(TOKEN);
  expect(printed[1]).toContain('fix/');
});
