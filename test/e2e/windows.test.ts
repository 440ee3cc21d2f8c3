// The Windows tier: Node's Windows build (test/peers.json's node-22-windows) under Debian's Wine, taskhooks' built
// package in `C:\Program Files\taskhooks` and a project in `C:\users\Jo Doe\My Projects\shop`, as a Windows user has
// them. Each command hook runs as Claude Code runs it there, in exec form (its command and args, no shell); the http
// guards are asked as Claude Code asks them; the monitor starts, stops without a signal and starts again; an upgrade
// replaces it; uninstall leaves nothing behind; Gemini CLI's hooks are written in PowerShell's form. The store's
// backups are taken (the monitor's, `tasks backup`, one before a schema migration), and hooks installed from a Node in
// a version manager's folder keep running once it is gone. Wine cannot show NTFS ACLs, the console windows a detached
// process would open, PowerShell, or Claude Code's own Windows binary (it needs a DLL Wine 8 lacks):
// test/install/windows-hooks.test.ts and agent-hooks-windows.test.ts check the seams (path.win32) on Linux, and the
// hooks' input and answers are the ones the Linux tier checks.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_TOKEN_HEADER } from '../../src/home/secrets.js';
import { listBackups, type BackupReason } from '../../src/store/index.js';
import { openStoreFile } from '../../src/store/tasks-db/recover.js';
import { TASK_DB_MIGRATIONS } from '../../src/store/schema.js';
import { NEXT_BEFORE, STORE_BEFORE_PER_PROJECT_IDS } from '../store/cross-project-deps.js';
import { ROOT } from '../helpers/hooks.js';
import { HANDSHAKE, rpcLine } from '../helpers/mcp-lines.js';
import {
  bootWine,
  PACKAGE,
  PROFILE,
  PROJECT,
  type Ran,
  skipWine,
  type Wine,
  windowsNode as node,
} from '../helpers/wine.js';

const NEXT = 'C:\\Program Files\\taskhooks next';

let w: Wine | undefined;
const box = (): Wine => {
  if (!w) throw new Error('Wine is not booted');
  return w;
};
const onLinux = (windows: string): string => box().onLinux(windows);
/** A Linux path as Wine's Windows programs name it: on its Z: drive. */
const onWindows = (linux: string): string => `Z:${linux.replaceAll('/', '\\')}`;
const wine: Wine['run'] = (program, args, opts) => box().run(program, args, opts);
const cli = (pkg: string, ...args: string[]) => box().cli(pkg, ...args);
const placePackage = (at: string) => box().placePackage(at);
/** The backups of a state directory (a Windows path) taken for `reason`. */
const backupsFor = (home: string, reason: BackupReason) =>
  listBackups(onLinux(`${home}\\backups`)).filter((b) => b.reason === reason);
/** The end of the home's log `name`: what a failed command did not print itself. */
const logTail = (name: string): string => {
  const file = onLinux(`${PROFILE}\\.taskhooks\\logs\\${name}`);
  return fs.existsSync(file) ? `${name}: …${fs.readFileSync(file, 'utf8').slice(-1500)}` : `${name}: none`;
};
const ok = (r: Ran) =>
  expect(r.code, [r.stdout, r.stderr, logTail('hooks.log'), logTail('monitor.log')].join('\n')).toBe(0);

interface CommandHook {
  type: string;
  command: string;
  args?: string[];
  timeout: number;
}

const settingsFile = () => onLinux(`${PROJECT}\\.claude\\settings.local.json`);
const hookOf = (event: string): CommandHook => {
  const settings = JSON.parse(fs.readFileSync(settingsFile(), 'utf8')) as {
    hooks: Record<string, Array<{ hooks: CommandHook[] }>>;
  };
  const h = settings.hooks[event]?.[0]?.hooks[0];
  if (!h) throw new Error(`no ${event} hook in ${settingsFile()}`);
  return h;
};

/** A command hook run as Claude Code runs it on Windows: its command with its args, no shell, within its timeout. */
const runHook = (h: CommandHook, input: object, env?: NodeJS.ProcessEnv) =>
  wine(h.command, h.args ?? [], { stdin: JSON.stringify(input), limitMs: h.timeout * 1000, ...(env ? { env } : {}) });

const sessionStart = (id: string) => ({
  session_id: id,
  transcript_path: `${PROFILE}\\.claude\\projects\\shop\\${id}.jsonl`,
  cwd: PROJECT,
  hook_event_name: 'SessionStart',
  source: 'startup',
});

const contextOf = (r: Ran): string => {
  ok(r);
  return (JSON.parse(r.stdout) as { hookSpecificOutput: { additionalContext: string } }).hookSpecificOutput
    .additionalContext;
};

const monitorPid = (): number | undefined => {
  try {
    return (JSON.parse(fs.readFileSync(onLinux(`${PROFILE}\\.taskhooks\\monitor.pid`), 'utf8')) as { pid: number }).pid;
  } catch {
    return undefined;
  }
};

/** The port a running monitor serves hooks on, once it has published it (monitor.json). */
const servedPort = (): number | undefined => {
  try {
    const info = fs.readFileSync(onLinux(`${PROFILE}\\.taskhooks\\monitor.json`), 'utf8');
    return (JSON.parse(info) as { pid: number; hookPort: number | null }).hookPort ?? undefined;
  } catch {
    return undefined;
  }
};

/**
 * A clone in the profile holding its own `<program>.exe` and `<program>.cmd`, each leaving a mark if anything starts
 * it (Wine runs a file that is no Windows program as a Linux one): its Windows path, and the mark's file.
 */
function plantedClone(name: string, program: string): { clone: string; mark: string } {
  const clone = `${PROFILE}\\My Projects\\${name}`;
  const dir = onLinux(clone);
  fs.mkdirSync(dir, { recursive: true });
  expect(spawnSync('git', ['init', '-q', dir]).status).toBe(0);
  const mark = path.join(box().root, `repository-${program}-ran`);
  fs.writeFileSync(path.join(dir, `${program}.exe`), `#!/bin/sh\necho "$@" >> '${mark}'\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, `${program}.cmd`), `@echo %* >> "${onWindows(mark)}"\r\n`);
  return { clone, mark };
}

describe.skipIf(skipWine)('taskhooks on Windows (Node 22 under Wine)', () => {
  beforeAll(() => {
    // One prefix for the file: making it is most of the tier's time.
    w = bootWine();
    placePackage(PACKAGE);
    fs.mkdirSync(onLinux(`${PROJECT}\\.claude`), { recursive: true });
    // Guards as a team would set them: no edit below secrets\, no push to main.
    fs.writeFileSync(
      onLinux(`${PROJECT}\\.claude\\taskhooks.json`),
      JSON.stringify({ hooks: { guards: { protectedPaths: ['secrets/**'], protectedBranches: ['main'] } } }),
    );
  }, 180_000);

  afterAll(() => w?.close());

  it('installs into a project with spaces in its path, every command hook in exec form', async () => {
    ok(await cli(PACKAGE, 'install', '--dir', PROJECT));
    const text = fs.readFileSync(settingsFile(), 'utf8');
    expect(text).not.toMatch(/perl|socket-post|\$\(|monitor\.sock/);
    expect(hookOf('SessionStart')).toMatchObject({
      command: expect.stringMatching(/\\node\.exe$/i),
      args: [`${PACKAGE}\\dist\\hooks\\session-start.js`, '--ask-monitor'],
    });
    expect(hookOf('SessionEnd').args).toEqual([`${PACKAGE}\\dist\\hooks\\session-end.js`, '--ask-monitor']);
    // At a turn's end: the work record (the monitor asked first), then the idle watch.
    const stop = JSON.parse(fs.readFileSync(settingsFile(), 'utf8')).hooks.Stop[0].hooks as CommandHook[];
    expect(stop.map((h) => h.args)).toEqual([
      [`${PACKAGE}\\dist\\hooks\\turn-end.js`, '--ask-monitor'],
      [`${PACKAGE}\\dist\\cli.js`, 'watch', '--rewake'],
    ]);
    await expect.poll(monitorPid, { timeout: 60_000 }).toBeGreaterThan(0);
  }, 180_000);

  it("answers SessionStart with the project's task within the hook's timeout, from the monitor and without it", async () => {
    // Under Wine a monitor takes seconds to serve: the session's first second is a Windows machine's, not Wine's.
    await expect.poll(servedPort, { timeout: 60_000 }).toBeGreaterThan(0);
    ok(await cli(PACKAGE, 'tasks', 'add', 'Ship the cart'));
    expect(contextOf(await runHook(hookOf('SessionStart'), sessionStart('s1')))).toContain('Ship the cart');
    ok(await runHook(hookOf('SessionEnd'), { ...sessionStart('s1'), hook_event_name: 'SessionEnd', reason: 'exit' }));
    // Stopped without a signal (Windows has none a process can catch): a request in the state directory.
    ok(await cli(PACKAGE, 'monitor', 'stop'));
    expect(monitorPid()).toBeUndefined();
    ok(await cli(PACKAGE, 'monitor', 'start'));
    expect(monitorPid()).toBeGreaterThan(0);
    ok(await cli(PACKAGE, 'monitor', 'stop'));
    // With no monitor the node hook answers itself, and starts one (detached, no console window) for the next.
    expect(contextOf(await runHook(hookOf('SessionStart'), sessionStart('s2')))).toContain('Ship the cart');
    await expect.poll(servedPort, { timeout: 60_000 }).toBeGreaterThan(0);
  }, 300_000);

  it('backs the store up: the monitor when it starts, `tasks backup`, and before a schema migration', async () => {
    const home = `${PROFILE}\\.taskhooks`;
    // The monitor the last session's hook started found the store changed since its last backup.
    await expect.poll(() => backupsFor(home, 'start').length, { timeout: 60_000 }).toBeGreaterThan(0);
    const manual = await cli(PACKAGE, 'tasks', 'backup');
    ok(manual);
    expect(manual.stdout).toMatch(/^Backed up 1 tasks to .*-manual\.db/);
    expect(backupsFor(home, 'manual')).toHaveLength(1);
    // A store as the release before per-project ids left it, in a state directory of its own, upgraded here.
    const older = `${PROFILE}\\older-home`;
    fs.mkdirSync(onLinux(older), { recursive: true });
    const { db } = openStoreFile(onLinux(`${older}\\tasks.db`), TASK_DB_MIGRATIONS.slice(0, 8), {});
    db.exec(STORE_BEFORE_PER_PROJECT_IDS);
    db.close();
    const listed = await wine(node(), [`${PACKAGE}\\dist\\cli.js`, 'tasks', 'list'], {
      env: { TASKHOOKS_HOME: older },
    });
    ok(listed);
    expect(listed.stdout).toContain(NEXT_BEFORE.title);
    expect(backupsFor(older, 'migration')).toHaveLength(1);
  }, 300_000);

  it("never runs a cloned repository's own git.exe: not in SessionStart, not in the monitor's git refresh", async () => {
    const { clone, mark } = plantedClone('cloned', 'git');
    const said = (log: string): boolean => {
      const file = onLinux(`${PROFILE}\\.taskhooks\\logs\\${log}`);
      return fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('cannot run git: it is not in any folder');
    };
    // The node hook runs git itself; the monitor (up since the test before) refreshes the project it registered.
    const start = { ...sessionStart('s-clone'), cwd: clone };
    const ran = await wine(node(), [`${PACKAGE}\\dist\\hooks\\session-start.js`], {
      stdin: JSON.stringify(start),
      cwd: clone,
    });
    // Wine's PATH holds no git: both say so rather than run the repository's.
    await expect
      .poll(() => fs.existsSync(mark) || (said('hooks.log') && said('monitor.log')), { timeout: 60_000 })
      .toBe(true);
    expect(fs.existsSync(mark) ? fs.readFileSync(mark, 'utf8') : '').toBe('');
    ok(ran);
  }, 180_000);

  it("starts the plugin's server by the node.exe on the PATH, never one the session's folder holds", async () => {
    // The plugin as Claude Code keeps it, hooks\ beside dist\, under a folder with a dot in its name. Not under the
    // profile: cross-spawn hands cmd.exe a space as ^, which Wine's cmd (not Windows') splits the path at.
    const plugin = 'C:\\plugins\\.claude\\cache\\taskhooks\\0.2.0';
    placePackage(plugin);
    fs.mkdirSync(onLinux(`${plugin}\\hooks`), { recursive: true });
    for (const f of ['mcp-bridge', 'mcp-bridge.cmd', 'mcp-bridge.pl'])
      fs.copyFileSync(path.join(ROOT, 'hooks', f), onLinux(`${plugin}\\hooks\\${f}`));
    const { clone, mark } = plantedClone('planted', 'node');
    // Started as Claude Code starts a plugin's stdio server, through cross-spawn: the command names no extension, so
    // Windows' PATHEXT picks mcp-bridge.cmd. Its stdin and stdout are files, all Node's Windows build reads under Wine.
    const driver = path.join(box().root, 'start-server.cjs');
    fs.writeFileSync(
      driver,
      `const fs = require('node:fs');
const [crossSpawn, command, cwd, input, output] = process.argv.slice(2);
const child = require(crossSpawn)(command, [], { cwd, stdio: [fs.openSync(input, 'r'), fs.openSync(output, 'w'), 'inherit'] });
child.on('exit', (code) => process.stdout.write(String(code)));
`,
    );
    const input = path.join(box().root, 'server-in');
    const output = path.join(box().root, 'server-out');
    fs.writeFileSync(input, HANDSHAKE + rpcLine(2, 'tools/list'));
    const ran = await wine(
      node(),
      [
        driver,
        path.join(ROOT, 'node_modules', 'cross-spawn'),
        `${plugin}\\hooks\\mcp-bridge`,
        clone,
        input,
        output,
      ].map((p) => (p.startsWith('/') ? onWindows(p) : p)),
      { cwd: clone, env: { WINEPATH: onWindows(path.dirname(node())) } },
    );
    ok(ran);
    expect(fs.existsSync(mark) ? fs.readFileSync(mark, 'utf8') : '').toBe('');
    const answers = fs
      .readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; result: { tools?: Array<{ name: string }> } });
    expect(answers.map((a) => a.id)).toEqual([1, 2]);
    expect(answers[1]?.result.tools?.map((t) => t.name)).toContain('hook');
  }, 180_000);

  it('refuses through the http guards a Write into secrets\\ and a push to main', async () => {
    const pre = hookOf('PreToolUse') as unknown as { url: string; headers: Record<string, string> };
    const user = JSON.parse(fs.readFileSync(onLinux(`${PROFILE}\\.claude\\settings.json`), 'utf8')) as {
      env: Record<string, string>;
    };
    const token = user.env[String(pre.headers['X-Taskhooks-Token']).slice(1)] ?? '';
    const ask = async (tool_name: string, tool_input: object) => {
      const res = await fetch(pre.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Taskhooks-Token': token },
        body: JSON.stringify({ ...sessionStart('s3'), hook_event_name: 'PreToolUse', tool_name, tool_input }),
      });
      return JSON.stringify(await res.json());
    };
    const write = await ask('Write', { file_path: `${PROJECT}\\secrets\\key.txt`, content: 'x' });
    expect(write).toContain('"permissionDecision":"deny"');
    expect(await ask('Bash', { command: 'git push origin main' })).toContain('"permissionDecision":"deny"');
  }, 120_000);

  it("writes Gemini CLI's hooks as PowerShell lines, its shell there, and takes them out again", async () => {
    ok(await cli(PACKAGE, 'install', '--agent', 'gemini', '--dir', PROJECT));
    const file = onLinux(`${PROJECT}\\.gemini\\settings.json`);
    const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      hooks: Record<string, Array<{ hooks: Array<{ command: string }> }>>;
    };
    const commands = Object.values(settings.hooks).flatMap((groups) => groups.flatMap((g) => g.hooks));
    expect(commands.length).toBeGreaterThan(0);
    for (const { command } of commands)
      expect(command).toMatch(
        /^& '[^']*\\node\.exe' 'C:\\Program Files\\taskhooks\\dist\\hooks\\[a-z-]+\.js' '--agent=gemini'$/i,
      );
    ok(await cli(PACKAGE, 'uninstall', '--agent', 'gemini', '--dir', PROJECT));
    expect(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').not.toMatch(/taskhooks/i);
  }, 180_000);

  it('checks itself with doctor: the state directory private by its ACL, the store, the monitor, the hooks', async () => {
    const doctor = JSON.parse((await cli(PACKAGE, 'doctor', '--dir', PROJECT, '--json')).stdout) as {
      steps: Array<{ name: string; ok: boolean; detail: string }>;
    };
    const step = (name: string) => doctor.steps.find((s) => s.name === name);
    for (const name of ['config', 'state dir and cache', 'task store', 'reachability', 'Claude Code hooks'])
      expect(step(name), JSON.stringify(step(name))).toMatchObject({ ok: true });
  }, 180_000);

  it('serves the dashboard through a one-time link asked with the dashboard token', async () => {
    // Asked from here, as `taskhooks dashboard` asks: under Wine, Node's fetch cannot connect (`connect UNKNOWN`)
    // where node:http can, so the command itself is not run here.
    const { hookPort } = JSON.parse(fs.readFileSync(onLinux(`${PROFILE}\\.taskhooks\\monitor.json`), 'utf8')) as {
      hookPort: number;
    };
    const token = fs.readFileSync(onLinux(`${PROFILE}\\.taskhooks\\dashboard-token`), 'utf8').trim();
    const base = `http://127.0.0.1:${hookPort}`;
    const link = await fetch(`${base}/dashboard/link`, { method: 'POST', headers: { [LINK_TOKEN_HEADER]: token } });
    expect(link.status).toBe(200);
    const { path: login } = (await link.json()) as { path: string };
    const page = await fetch(`${base}${login}`, { redirect: 'manual' });
    expect([200, 302, 303]).toContain(page.status);
  }, 180_000);

  it('upgrades from another folder, replacing the monitor, and uninstalls leaving nothing behind', async () => {
    const before = monitorPid();
    placePackage(NEXT);
    const upgraded = await cli(NEXT, 'install', '--dir', PROJECT);
    ok(upgraded);
    expect(upgraded.stdout).toContain('replaced the monitor of another build');
    expect(monitorPid()).not.toBe(before);
    expect(hookOf('SessionStart').args?.[0]).toBe(`${NEXT}\\dist\\hooks\\session-start.js`);
    ok(await cli(NEXT, 'uninstall', '--dir', PROJECT));
    ok(await cli(NEXT, 'monitor', 'stop'));
    // The project holds only what the team put there; the user's files hold nothing of taskhooks.
    expect(fs.readdirSync(path.join(onLinux(PROJECT), '.claude'))).toEqual(['taskhooks.json']);
    for (const file of [`${PROFILE}\\.claude.json`, `${PROFILE}\\.claude\\settings.json`])
      if (fs.existsSync(onLinux(file))) expect(fs.readFileSync(onLinux(file), 'utf8')).not.toMatch(/taskhooks/i);
  }, 300_000);

  it("keeps its hooks running when the Node it was installed with is gone (fnm's per-shell folder)", async () => {
    // fnm puts a folder of the shell's own first on PATH; the Node it links to is also where PATH finds it later.
    const shell = `${PROFILE}\\AppData\\Local\\fnm_multishells\\4242_1700000000000`;
    fs.mkdirSync(onLinux(shell), { recursive: true });
    fs.copyFileSync(node(), onLinux(`${shell}\\node.exe`));
    const later = `Z:${path.dirname(node()).replaceAll('/', '\\')}`;
    const env = { WINEPATH: `${shell};${later}` };
    const installed = await wine(`${shell}\\node.exe`, [`${PACKAGE}\\dist\\cli.js`, 'install', '--dir', PROJECT], {
      env,
    });
    ok(installed);
    expect(hookOf('SessionStart')).toMatchObject({ command: 'node' });
    // Claude Code starts it with no shell, so Windows looks in the project folder first: install says so, and the fix.
    expect(installed.stdout).toMatch(/looks for it in the\s+project folder first/);
    expect(fs.readFileSync(settingsFile(), 'utf8')).not.toContain('fnm_multishells');
    ok(await cli(PACKAGE, 'tasks', 'add', 'Survive the upgrade'));
    ok(await cli(PACKAGE, 'monitor', 'stop'));
    fs.rmSync(onLinux(shell), { recursive: true, force: true });
    const started = await runHook(hookOf('SessionStart'), sessionStart('s9'), env);
    expect(contextOf(started)).toContain('Survive the upgrade');
    ok(await cli(PACKAGE, 'uninstall', '--dir', PROJECT));
    ok(await cli(PACKAGE, 'monitor', 'stop'));
  }, 300_000);
});
