// A repository's folder renamed, then the repository cloned again elsewhere under another name, with a reboot between
// (the monitor stopped, the cache cleared), with the real Claude Code: each session is told the same task, since a
// project is its repository (its origin, however spelled), not its folder's name.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeEnv, claudeWorld, installWithMonitor, messagesStub, runClaude, trustFolder } from '../helpers/claude.js';
import { runBuiltCli } from '../helpers/cli.js';
import { hookEnv, ROOT } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TITLE = 'Ship the cart';
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

/** What the first request of a session in `dir` told the model. */
async function firstRequest(w: ReturnType<typeof claudeWorld>, dir: string, args: string[] = []): Promise<string> {
  const api = await messagesStub([]);
  cleanups.push(() => api.close());
  trustFolder(w.home, dir);
  const result = await runClaude(dir, claudeEnv(w.home, w.taskhooksHome, api.url), args);
  expect(result.code, result.stderr).toBe(0);
  return api.requests.find((body) => body.includes('"messages"')) ?? '';
}

describe('a repository renamed and cloned again', () => {
  it('keeps telling its sessions the same task, across a reboot', async () => {
    const w = claudeWorld({}, cleanups);
    git(w.dir, 'remote', 'add', 'origin', 'https://git.example.invalid/acme/shop.git');
    await installWithMonitor(w);
    await w.cli(['tasks', 'add', TITLE]);
    expect(await firstRequest(w, w.dir)).toContain(TITLE);

    const renamed = `${w.dir}-renamed`;
    renameSync(w.dir, renamed);
    // Back where the world's own clean-up looks for it.
    cleanups.push(() => renameSync(renamed, w.dir));
    expect(await firstRequest(w, renamed)).toContain(TITLE);

    // A reboot: no monitor, no cache; the next session's hook starts from the store alone.
    const env = { ...hookEnv(w.taskhooksHome), HOME: w.home };
    const stopped = await runBuiltCli(['monitor', 'stop'], { cwd: renamed, env });
    expect(stopped.code, stopped.stderr).toBe(0);
    rmSync(path.join(w.taskhooksHome, 'cache.db'), { force: true });
    const elsewhere = path.join(path.dirname(w.home), 'elsewhere');
    mkdirSync(elsewhere);
    const clone = path.join(elsewhere, 'storefront');
    git(elsewhere, 'clone', '-q', renamed, clone);
    // The same origin spelled as another person's clone has it.
    git(clone, 'remote', 'set-url', 'origin', 'git@git.example.invalid:acme/shop');
    const cloned = await firstRequest(w, clone, ['--plugin-dir', ROOT]);
    expect(cloned).toContain(TITLE);
    expect(cloned).not.toContain('0 pending');
  });
});
