// The plugin's commands as Claude Code runs them (a shell, curl to the monitor's socket, the built node hook after it):
// the monitor answers every synchronous event when it can, a monitor that takes the event and answers too late must
// not leave the session without its context, and a guard is decided whatever stands between the hook and the monitor.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { takeEventLease } from '../../src/cache/event-leases.js';
import { eventKey } from '../../src/hooks/hosts/event-key.js';
import { startServedHooks } from '../../src/monitor/served-hooks.js';
import { productionServices } from '../../src/monitor/services.js';
import { silentLogger } from '../helpers/cache.js';
import {
  demoProject,
  hookEnv,
  parseHookStdout,
  preToolUseInput,
  ROOT,
  sessionStartInput,
  withHomeCache,
} from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type PluginHooks = Record<string, Array<{ hooks: Array<{ command: string; async?: boolean }> }>>;
const PLUGIN_HOOKS = (JSON.parse(readFileSync(path.join(ROOT, 'hooks/hooks.json'), 'utf8')) as { hooks: PluginHooks })
  .hooks;
const commandOf = (event: string): string => PLUGIN_HOOKS[event]![0]!.hooks[0]!.command;
/** Every event Claude Code waits for, with the route its command posts to (the script it falls back on). */
const SYNCHRONOUS = Object.keys(PLUGIN_HOOKS)
  .filter((event) => !PLUGIN_HOOKS[event]![0]!.hooks[0]!.async)
  .map((event) => ({ event, name: /dist\/hooks\/([\w-]+)\.js/.exec(commandOf(event))?.[1] ?? '' }));

/** Runs the plugin's command for `event` on `input` in `home`'s world, `PATH` as given; its stdout. */
function runPluginCommand(
  event: string,
  home: string,
  cwd: string,
  input: object,
  more: NodeJS.ProcessEnv = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      '/bin/sh',
      ['-c', commandOf(event)],
      { cwd, env: { ...hookEnv(home), CLAUDE_PLUGIN_ROOT: ROOT, ...more }, timeout: 30_000 },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
    child.stdin?.end(JSON.stringify(input));
  });
}

const runStartCommand = (home: string, cwd: string, input: object): Promise<string> =>
  runPluginCommand('SessionStart', home, cwd, input);

/**
 * A PATH of the commands the plugin's hooks run (`cat`, `curl`, `node`) as links, leaving out `without`; a `node`
 * replaced by `fakeNode` (a shell script) shows whether the node hook ran.
 */
function hookPath(dir: string, opts: { without?: 'curl'; fakeNode?: string } = {}): string {
  const bin = path.join(dir, 'hook-bin');
  mkdirSync(bin);
  const which = (name: string) =>
    (process.env.PATH ?? '')
      .split(path.delimiter)
      .map((d) => path.join(d, name))
      .find((f) => existsSync(f));
  for (const name of ['cat', 'curl'] as const) {
    const found = which(name);
    if (name !== opts.without && found) symlinkSync(found, path.join(bin, name));
  }
  if (opts.fakeNode) writeFileSync(path.join(bin, 'node'), `#!/bin/sh\n${opts.fakeNode}\n`, { mode: 0o755 });
  else symlinkSync(process.execPath, path.join(bin, 'node'));
  return bin;
}

/** The home's monitor as the daemon serves it (the production runners on its socket and port), with its token. */
async function servingMonitor(home: string): Promise<{ port: number; token: string }> {
  const cache = openCache({ home });
  const log = silentLogger();
  const services = productionServices(hookEnv(home));
  const token = 'b'.repeat(64);
  const served = await startServedHooks({
    port: 0,
    socketPath: path.join(home, 'monitor.sock'),
    token,
    log,
    handle: (event, input, caller) => services.runHook(event, input, { cache, log, caller }),
  });
  cleanups.push(async () => {
    await served.close();
    cache.close();
  });
  return { port: served.port, token };
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
  await new Promise<void>((resolve) => server.listen(path.join(home, 'monitor.sock'), resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  return { asked: () => asked };
}

const contextOf = (stdout: string): string =>
  (parseHookStdout(stdout)?.hookSpecificOutput as { additionalContext?: string } | undefined)?.additionalContext ?? '';

describe("the plugin's SessionStart command", () => {
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

/** A guarded repository: pushing to main is refused. */
const guarded = () => demoProject({ config: { hooks: { guards: { protectedBranches: ['main'] } } } });
const push = (cwd: string) => preToolUseInput(cwd, 'Bash', { command: 'git push origin main', description: 'push' });
const decisionOf = (stdout: string) =>
  (parseHookStdout(stdout)?.hookSpecificOutput as { permissionDecision?: string } | undefined)?.permissionDecision;

describe("the plugin's tool-call commands", () => {
  it('post each synchronous event to its own route on the monitor socket, no node started', async () => {
    const { repo, home, cleanup } = demoProject();
    cleanups.push(cleanup);
    const routes: string[] = [];
    const server = http.createServer((req, res) => {
      routes.push(req.url ?? '');
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ route: req.url })));
    });
    await new Promise<void>((resolve) => server.listen(path.join(home, 'monitor.sock'), resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const ran = path.join(home, 'node-ran');
    const PATH = hookPath(home, { fakeNode: `touch '${ran}'; exit 1` });

    for (const { event, name } of SYNCHRONOUS) {
      const out = await runPluginCommand(event, home, repo.dir, { hook_event_name: event, cwd: repo.dir }, { PATH });
      expect(JSON.parse(out), event).toEqual({ route: `/hooks/${name}` });
    }

    expect(SYNCHRONOUS.map((e) => e.event).sort()).toEqual(
      ['PostToolBatch', 'PostToolUse', 'PreToolUse', 'SessionStart', 'SubagentStart', 'UserPromptSubmit'].sort(),
    );
    expect(routes).toHaveLength(SYNCHRONOUS.length);
    expect(existsSync(ran)).toBe(false);
  });

  it("answer PreToolUse from the monitor exactly as the install route's http hook does", async () => {
    const { repo, home, cleanup } = guarded();
    cleanups.push(cleanup);
    const monitor = await servingMonitor(home);
    const PATH = hookPath(home, { fakeNode: 'exit 1' });

    const viaHttp = async () =>
      (
        await fetch(`http://127.0.0.1:${monitor.port}/hooks/pre-tool-use`, {
          method: 'POST',
          body: JSON.stringify(push(repo.dir)),
          headers: { 'x-taskhooks-token': monitor.token },
        })
      ).json();
    // The first call loads what the guard reads (the config, the shell parser): the command waits 0.3 s only.
    const first = await viaHttp();

    const viaSocket = await runPluginCommand('PreToolUse', home, repo.dir, push(repo.dir), { PATH });

    expect(decisionOf(viaSocket)).toBe('deny');
    expect(parseHookStdout(viaSocket)).toEqual(first);
    expect(await viaHttp()).toEqual(first);
  });

  it.each([
    ['no monitor listens', {}],
    ['curl is missing', { without: 'curl' as const }],
  ])('refuse a guarded call from the node hook when %s', async (_why, opts) => {
    const { repo, home, cleanup } = guarded();
    cleanups.push(cleanup);

    const out = await runPluginCommand('PreToolUse', home, repo.dir, push(repo.dir), { PATH: hookPath(home, opts) });

    expect(decisionOf(out)).toBe('deny');
  });

  it('refuse a guarded call from the node hook when the monitor took it and did not answer in time', async () => {
    const { repo, home, cleanup } = guarded();
    cleanups.push(cleanup);
    const monitor = await lateMonitor(home);

    const out = await runPluginCommand('PreToolUse', home, repo.dir, push(repo.dir));

    expect(monitor.asked()).toBe(1);
    expect(decisionOf(out)).toBe('deny');
  });
});
