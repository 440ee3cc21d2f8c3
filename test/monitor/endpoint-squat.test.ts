// Another local user squats the monitor's port, the person installs, the squatter leaves, the monitor restarts, and
// the squatter binds the old port again mid-session: the endpoint moves once, with new tokens, every installed file
// follows it at once, the monitor then keeps the port it moved to, and nothing reaches the squatter.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../helpers/serve.js';
import { NOBODY, squat } from '../helpers/second-user.js';
import { afterEach, expect, it } from 'vitest';
import { installedShop } from './helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

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

it('moves once with new tokens, rewrites the hooks at once, keeps the new port, and nothing reaches the squatter', async () => {
  const config = { monitor: { hookPort: await freePort(), storeServerPort: await freePort() } };
  const { m: home, repo } = installedShop(config, cleanups);
  const settingsFile = path.join(repo.dir, '.claude', 'settings.local.json');
  const installed = promptHook(settingsFile);
  const first = portOf(installed);
  const token = () => readFileSync(path.join(home.home, 'hook-token'), 'utf8').trim();
  expect(installed.headers['X-Taskhooks-Token']).toBe(token());

  // The monitor stops; the second user takes its port; it starts again elsewhere, with a new token, and the hooks follow.
  expect(home.cli(['monitor', 'stop']).code).toBe(0);
  const squatter = await squat(first, cleanups);
  expect(home.cli(['monitor', 'start']).code).toBe(0);
  const moved = home.info()?.hookPort ?? 0;
  expect(moved).not.toBe(first);
  const rewritten = promptHook(settingsFile);
  expect(portOf(rewritten)).toBe(moved);
  expect(rewritten.headers['X-Taskhooks-Token']).toBe(token());
  expect(rewritten.headers['X-Taskhooks-Token']).not.toBe(installed.headers['X-Taskhooks-Token']);

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
    headers: { 'content-type': 'application/json', ...rewritten.headers },
    body: JSON.stringify({ hook_event_name: 'UserPromptSubmit', session_id: 's1', cwd: repo.dir, prompt: 'hi' }),
  });
  expect(res.status).toBe(200);
  // The old token opens nothing at the monitor either.
  const old = await fetch(rewritten.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Taskhooks-Token': installed.headers['X-Taskhooks-Token'] ?? '' },
    body: '{}',
  });
  expect(old.status).toBe(401);
  expect(again.seen()).toBe(0);
  expect(squatter.seen()).toBe(0);
  expect(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()).toBe(String(NOBODY));
});
