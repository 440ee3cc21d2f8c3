// Two routes into one project: install's hooks post to this user's monitor of one home while a session's other
// taskhooks hooks (the plugin's) use another. SessionStart of the second recognises the first's monitor, proven by its
// lock's pid owning the listening socket, and tells the session "two routes: remove one" without stopping it; a
// listener of another user on that port is still refused as a squatter.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { onlyListenerIs } from '../../src/util/port-holder.js';
import { runHook, sessionStartInput, tempHome } from '../helpers/hooks.js';
import { squat } from '../helpers/second-user.js';
import { installedShop } from '../monitor/helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Install's home, found where the plugin keeps its data: the other home a second route's check looks in. */
function installedWhereFound() {
  const { m, repo } = installedShop({}, cleanups);
  const data = path.join(os.homedir(), '.claude', 'plugins', 'data');
  mkdirSync(data, { recursive: true });
  const link = path.join(data, `taskhooks-test-${process.pid}`);
  symlinkSync(m.home, link);
  cleanups.push(() => rmSync(link));
  const port = m.info()?.hookPort;
  const pid = m.info()?.pid;
  if (!port || !pid) throw new Error('no monitor after install');
  // The plugin's home: a state directory of its own, no monitor in it yet.
  const plugin = tempHome();
  cleanups.push(plugin.cleanup);
  const start = async () => {
    const r = await runHook('session-start', sessionStartInput(repo.dir, 's-plugin'), {
      home: plugin.home,
      cwd: repo.dir,
    });
    return JSON.parse(r.stdout || '{}') as Record<string, unknown> & { hookSpecificOutput?: Record<string, string> };
  };
  return { m, repo, port, pid, start };
}

describe('a second route into one project', () => {
  it('is told "two routes: remove one" with the commands, and the session goes on', async () => {
    const { m, repo, start } = installedWhereFound();
    const answer = await start();
    expect(answer.continue).toBeUndefined();
    const context = answer.hookSpecificOutput?.additionalContext ?? '';
    expect(context).toContain('two routes: remove one.');
    expect(context).toContain(`to the taskhooks monitor of ${path.join(os.homedir(), '.claude', 'plugins', 'data')}`);
    expect(context).toContain('`claude plugin uninstall taskhooks@taskhooks` (the plugin)');
    expect(context).toContain(`\`taskhooks uninstall\` in ${repo.dir} (install's hooks).`);
    expect(m.info()?.pid).toBeDefined();
  });

  it('is told "two routes: remove one" where both share one state directory: install\'s hooks and the plugin enabled', async () => {
    const { m, repo } = installedShop({}, cleanups);
    writeFileSync(
      path.join(repo.dir, '.claude', 'settings.json'),
      `${JSON.stringify({ enabledPlugins: { 'taskhooks@taskhooks': true } })}\n`,
    );
    const r = await runHook('session-start', sessionStartInput(repo.dir, 's-both'), { home: m.home, cwd: repo.dir });
    const answer = JSON.parse(r.stdout || '{}') as { continue?: boolean; hookSpecificOutput?: Record<string, string> };
    expect(answer.continue).toBeUndefined();
    const context = answer.hookSpecificOutput?.additionalContext ?? '';
    expect(context).toContain(
      `two routes: remove one. ${path.join('.claude', 'settings.local.json')} holds taskhooks install's hooks and ${path.join(repo.dir, '.claude', 'settings.json')} enables the taskhooks plugin`,
    );
    expect(context).toContain('the tasks stay either way.');
  });

  it("is not what another user's listener on that port passes for: the session is stopped as before", async () => {
    const { m, port, pid, start } = installedWhereFound();
    expect(onlyListenerIs(pid, port)).toBe(true);
    expect(m.cli(['monitor', 'stop']).code).toBe(0);
    const squatter = await squat(port, cleanups);
    // Root reads every process's sockets: the listener's uid is what tells them apart.
    expect(onlyListenerIs(squatter.child.pid ?? 0, port)).toBe(false);
    const answer = await start();
    expect(answer.continue).toBe(false);
    expect(String(answer.stopReason)).toContain('where another process listens');
  });
});
