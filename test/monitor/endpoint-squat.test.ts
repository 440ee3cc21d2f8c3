// Another local user squats the monitor's port, the person installs, the squatter leaves, the monitor restarts, and
// the squatter binds the old port again mid-session: the endpoint moves once, with new tokens, every installed file
// follows it at once, the monitor then keeps the port it moved to, and nothing reaches the squatter.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/serve.js';
import { NOBODY, squat } from '../helpers/second-user.js';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { installedShop } from './helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// The token a session sends is read from the person's ~/.claude/settings.json: a HOME of this file's own, so another
// file's install, rewriting the shared one at the same moment, cannot take it out between the install and the call.
// test/helpers/file-state.ts puts HOME back after the file.
let userHome = '';
beforeAll(() => {
  userHome = mkdtempSync(path.join(os.tmpdir(), 'th-user-home-'));
  process.env.HOME = userHome;
});
afterAll(() => rmSync(userHome, { recursive: true, force: true }));

interface HttpHook {
  url: string;
  headers: Record<string, string>;
}

function promptHook(settingsFile: string): HttpHook {
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as {
    hooks: Record<string, Array<{ hooks: HttpHook[] }>>;
  };
  const hook = settings.hooks.UserPromptSubmit?.[0]?.hooks[0];
  if (!hook) throw new Error(`${settingsFile} has no UserPromptSubmit hook`);
  return hook;
}

const portOf = (hook: HttpHook) => Number(new URL(hook.url).port);

/** The token Claude Code sends for a hook: the value the person's own settings give the variable its header names. */
function sentToken(hook: HttpHook): string {
  const name = (hook.headers['X-Taskhooks-Token'] ?? '').replace(/^\$/, '');
  const user = JSON.parse(readFileSync(path.join(process.env.HOME ?? '', '.claude', 'settings.json'), 'utf8')) as {
    env: Record<string, string>;
  };
  return user.env[name] ?? '';
}

it('moves once with new tokens, rewrites the hooks at once, keeps the new port, and nothing reaches the squatter', async () => {
  const config = { monitor: { hookPort: await freePort(), storeServerPort: await freePort() } };
  const { m: home, repo } = installedShop(config, cleanups);
  const settingsFile = path.join(repo.dir, '.claude', 'settings.local.json');
  const installed = promptHook(settingsFile);
  const first = portOf(installed);
  const token = () => readFileSync(path.join(home.home, 'hook-token'), 'utf8').trim();
  const oldToken = token();
  expect(sentToken(installed)).toBe(oldToken);

  // The monitor stops; the second user takes its port; it starts again elsewhere, with a new token, and the hooks follow.
  expect(home.cli(['monitor', 'stop']).code).toBe(0);
  const squatter = await squat(first, cleanups);
  expect(home.cli(['monitor', 'start']).code).toBe(0);
  const moved = home.info()?.hookPort ?? 0;
  expect(moved).not.toBe(first);
  const rewritten = promptHook(settingsFile);
  expect(portOf(rewritten)).toBe(moved);
  expect(rewritten.headers).toEqual(installed.headers);
  expect(sentToken(rewritten)).toBe(token());
  expect(token()).not.toBe(oldToken);

  // The squatter leaves; the monitor restarts and takes back the port the hooks name, with the same token.
  squatter.child.kill('SIGKILL');
  await new Promise((resolve) => squatter.child.once('exit', resolve));
  expect(home.cli(['monitor', 'stop']).code).toBe(0);
  expect(home.cli(['monitor', 'start']).code).toBe(0);
  expect(home.info()?.hookPort).toBe(moved);
  expect(promptHook(settingsFile)).toEqual(rewritten);

  // The second user binds the first port again: the session's hooks post to the monitor, never there.
  const again = await squat(first, cleanups);
  const res = await fetch(rewritten.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Taskhooks-Token': sentToken(rewritten) },
    body: JSON.stringify({ hook_event_name: 'UserPromptSubmit', session_id: 's1', cwd: repo.dir, prompt: 'hi' }),
  });
  expect(res.status).toBe(200);
  // The old token opens nothing at the monitor either.
  const old = await fetch(rewritten.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Taskhooks-Token': oldToken },
    body: '{}',
  });
  expect(old.status).toBe(401);
  expect(again.seen()).toBe(0);
  expect(squatter.seen()).toBe(0);
  expect(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()).toBe(String(NOBODY));
});
