// Hooks that post to a port another process holds: the check SessionStart makes (unit), and the built SessionStart —
// answered by the monitor over its socket and by the node hook with the monitor down — stopping a session whose
// hooks would hand their input and token to a foreign listener (integration: real monitor, built hooks, the socket client).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, loopbackListener } from '../helpers/serve.js';
import { afterEach, describe, expect, it } from 'vitest';
import { projectSettingsFiles, servedHookTargets } from '../../src/hooks/ports/stray-hooks.js';
import {
  findStrayHooks,
  foreignHooksLine,
  hooksElsewhere,
  listensOnLoopback,
  missedHooks,
  missedHooksLine,
  strayHooksReason,
} from '../../src/hooks/ports/stray-stop.js';
import { sessionStartInput, tempHome } from '../helpers/hooks.js';
import { HOOK_EVENTS } from '../../src/hooks/events/events.js';
import { httpHandler } from '../../src/install/endpoint/served-hook.js';
import { hookTokenVar } from '../../src/home/hook-token-env.js';
import { installedShop, type MonitorHome, waitFor } from '../monitor/helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A listener that is not the monitor, noting every request it gets, headers and body. */
const foreignListener = (port = 0) => loopbackListener(cleanups, port);

const TOKEN = 'a'.repeat(64);

/** An http hook exactly as an earlier install wrote it: the token itself in its header. */
function httpHook(port: number, name: string, token = TOKEN): Record<string, unknown> {
  const e = HOOK_EVENTS.find((x) => x.name === name);
  if (!e) throw new Error(`no event ${name}`);
  const { allowedEnvVars: _, ...h } = httpHandler(e, { port, tokenVar: 'unused', guarded: true });
  return { ...h, headers: { 'X-Taskhooks-Token': token } };
}

function writeSettings(dir: string, file: string, settings: unknown): string {
  mkdirSync(path.join(dir, '.claude'), { recursive: true });
  const p = path.join(dir, '.claude', file);
  writeFileSync(p, JSON.stringify(settings));
  return p;
}

function tempDir(): string {
  const t = tempHome();
  cleanups.push(t.cleanup);
  return t.home;
}

describe('the served hooks of a project’s settings', () => {
  it('are its http hooks posting to a monitor route, with port and token; commands and other URLs are not', () => {
    const dir = tempDir();
    const file = writeSettings(dir, 'settings.local.json', {
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [httpHook(20_002, 'pre-tool-use', 'abc')] }],
        PostToolUse: [
          {
            matcher: '',
            hooks: [
              { type: 'command', command: 'node /x/dist/hooks/post-tool-use.js' },
              { type: 'http', url: 'https://example.com/hooks/post-tool-use' },
              { type: 'http', url: 'http://localhost/hooks/post-tool-use' },
            ],
          },
        ],
        Stop: 'not ours to read',
      },
    });
    expect(servedHookTargets(file)).toEqual([
      { file, event: 'pre-tool-use', port: 20_002, token: 'abc', handler: expect.objectContaining({ type: 'http' }) },
      { file, event: 'post-tool-use', port: 80, handler: expect.objectContaining({ type: 'http' }) },
    ]);
  });

  it('are none in a file that is missing, not JSON, or a FIFO (refused, never waited on)', () => {
    const dir = tempDir();
    expect(servedHookTargets(path.join(dir, '.claude', 'settings.json'))).toEqual([]);
    expect(servedHookTargets(writeSettings(dir, 'settings.json', 'x'))).toEqual([]);
    writeFileSync(path.join(dir, '.claude', 'settings.json'), '{"hooks": ');
    expect(servedHookTargets(path.join(dir, '.claude', 'settings.json'))).toEqual([]);
    const fifo = path.join(dir, '.claude', 'settings.local.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(servedHookTargets(fifo)).toEqual([]);
  });

  it('are read from the session’s folder and its repository’s root, each once', () => {
    expect(projectSettingsFiles(['/p/sub', '/p', '/p', undefined])).toEqual([
      '/p/sub/.claude/settings.json',
      '/p/sub/.claude/settings.local.json',
      '/p/.claude/settings.json',
      '/p/.claude/settings.local.json',
    ]);
  });
});

describe('hooks posting elsewhere than the monitor', () => {
  it('names hooks posting to a port something listens on while no monitor runs for the home', async () => {
    const home = tempDir();
    const foreign = await foreignListener();
    const file = writeSettings(tempDir(), 'settings.local.json', {
      hooks: { UserPromptSubmit: [{ matcher: '', hooks: [httpHook(foreign.port, 'user-prompt-submit')] }] },
    });
    const elsewhere = await hooksElsewhere({ home, files: [file] });
    const target = { file, event: 'user-prompt-submit', port: foreign.port, token: TOKEN, handler: expect.anything() };
    expect(elsewhere).toEqual({ targets: [target], all: [target], foreign: [], monitorPort: undefined });
    const stray = await findStrayHooks(elsewhere!);
    expect(stray).toEqual({ files: [file], ports: [foreign.port], monitorPort: undefined });
    expect(foreign.seen).toEqual([]); // a connection opened and closed: nothing posted
    expect(strayHooksReason(stray!, '/work/shop')).toBe(
      `taskhooks stopped a session in /work/shop before any tool call: the hooks in ${file} post every tool call's ` +
        `input and the hook token to 127.0.0.1:${foreign.port}, where another process listens, while no taskhooks ` +
        'monitor runs for this state directory. Run `taskhooks install` in /work/shop, then start the session again.',
    );
  });

  it('says nothing when nothing listens on the hooks’ port, or there are no served hooks', async () => {
    const home = tempDir();
    const port = await freePort();
    expect(await listensOnLoopback(port)).toBe(false);
    const dir = tempDir();
    const file = writeSettings(dir, 'settings.local.json', {
      hooks: { PostToolUse: [{ matcher: '', hooks: [httpHook(port, 'post-tool-use')] }] },
    });
    const elsewhere = await hooksElsewhere({ home, files: [file] });
    expect(elsewhere?.targets.map((t) => t.port)).toEqual([port]);
    expect(await findStrayHooks(elsewhere!)).toBeUndefined();
    const commands = writeSettings(dir, 'settings.json', {
      hooks: { PostToolUse: [{ matcher: '', hooks: [{ type: 'command', command: 'true' }] }] },
    });
    expect(await hooksElsewhere({ home, files: [commands] })).toBeUndefined();
  });
});

describe('hooks install did not write', () => {
  it("in a repository's committed settings, or of another shape, are named in one line and stop nothing", async () => {
    const home = tempDir();
    const service = await foreignListener();
    const dir = tempDir();
    const committed = writeSettings(dir, 'settings.json', {
      hooks: { UserPromptSubmit: [{ matcher: '', hooks: [httpHook(service.port, 'user-prompt-submit')] }] },
    });
    const other = { type: 'http', url: `http://127.0.0.1:${service.port}/hooks/post-tool-use`, timeout: 5 };
    const local = writeSettings(dir, 'settings.local.json', {
      hooks: { PostToolUse: [{ matcher: '', hooks: [other] }] },
    });
    const elsewhere = await hooksElsewhere({ home, files: [committed, local] });
    expect(elsewhere).toMatchObject({ targets: [], all: [], foreign: [{ file: committed }, { file: local }] });
    expect(foreignHooksLine(elsewhere?.foreign ?? [], dir)).toBe(
      `.claude/settings.json and .claude/settings.local.json holds http hooks posting to 127.0.0.1:${service.port} that taskhooks did not write: ` +
        "they are not taskhooks' (whatever they send goes where they say); an earlier taskhooks install's is replaced by `taskhooks install`.",
    );
  });

  it("are told apart from install's own, whose token is the value the person's settings give its variable", async () => {
    const home = tempDir();
    const port = await freePort();
    writeFileSync(path.join(home, 'endpoint.json'), JSON.stringify({ hookPort: port }));
    writeFileSync(path.join(home, 'hook-token'), `${TOKEN}\n`);
    const e = HOOK_EVENTS.find((x) => x.name === 'post-tool-use');
    const own = e && httpHandler(e, { port, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0123ABCD', guarded: false });
    const file = writeSettings(tempDir(), 'settings.local.json', {
      hooks: { PostToolUse: [{ matcher: '', hooks: [own] }] },
    });
    const read = (token: string) => (f: string) =>
      f === file ? JSON.parse(readFileSync(f, 'utf8')) : { env: { TASKHOOKS_HOOK_TOKEN_0123ABCD: token } };
    const current = await hooksElsewhere({ home, files: [file], read: read(TOKEN) });
    expect(current && missedHooks(home, current)).toBeUndefined();
    const stale = await hooksElsewhere({ home, files: [file], read: read('an-old-one') });
    expect(stale && missedHooks(home, stale)).toMatchObject({ missed: [], oldToken: [{ port }] });
  });
});

describe('hooks that miss the monitor with nothing else listening', () => {
  it('are named to the session when they post elsewhere than the port last written, whether or not a monitor runs', async () => {
    const home = tempDir();
    const written = await freePort();
    const stale = await freePort();
    writeFileSync(path.join(home, 'endpoint.json'), JSON.stringify({ hookPort: written }));
    writeFileSync(path.join(home, 'hook-token'), `${TOKEN}\n`);
    const at = (port: number) =>
      writeSettings(tempDir(), 'settings.local.json', {
        hooks: { PostToolUse: [{ matcher: '', hooks: [httpHook(port, 'post-tool-use')] }] },
      });
    // Where the monitor this start launches will answer: nothing to say.
    const right = await hooksElsewhere({ home, files: [at(written)] });
    expect(right && missedHooks(home, right)).toBeUndefined();
    const wrong = await hooksElsewhere({ home, files: [at(stale)] });
    const missed = wrong && missedHooks(home, wrong);
    expect(missed).toMatchObject({ expected: written, missed: [{ port: stale }], oldToken: [] });
    expect(missedHooksLine(missed!, '/work/shop')).toBe(
      `this project's hooks post to 127.0.0.1:${stale}, where nothing answers, while the monitor answers on ${written}: ` +
        'tool calls get no task news and guarded ones are refused. Run `taskhooks install` in /work/shop, then restart this session.',
    );
  });

  it('are named when they post to the right port with a token it no longer takes', async () => {
    const home = tempDir();
    const port = await freePort();
    writeFileSync(path.join(home, 'endpoint.json'), JSON.stringify({ hookPort: port }));
    writeFileSync(path.join(home, 'hook-token'), 'a-newer-token\n');
    const file = writeSettings(tempDir(), 'settings.local.json', {
      hooks: { PostToolUse: [{ matcher: '', hooks: [httpHook(port, 'post-tool-use')] }] },
    });
    const elsewhere = await hooksElsewhere({ home, files: [file] });
    const missed = elsewhere && missedHooks(home, elsewhere);
    expect(missed).toMatchObject({ missed: [], oldToken: [{ port }] });
    expect(missedHooksLine(missed!, '/p')).toContain('carry a hook token the monitor no longer takes');
  });
});

describe('the port the home’s monitor serves on, as it publishes it', () => {
  /** A process that passes for the home's monitor (its command line says `monitor run`), holding the home's lock. */
  async function liveOwner(home: string): Promise<number> {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'monitor', 'run'], { stdio: 'ignore' });
    cleanups.push(() => child.kill('SIGKILL'));
    const pid = child.pid ?? 0;
    // Until the child has run node, /proc shows this worker's command line: no monitor's, to a lock's reader.
    await waitFor('the stand-in to run node', () =>
      readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('\0monitor\0run'),
    );
    writeFileSync(path.join(home, 'monitor.pid'), JSON.stringify({ pid, startedAt: Date.now() }));
    return pid;
  }

  it('compares each hook’s port with it: the same port is no stray, another is', async () => {
    const home = tempDir();
    const pid = await liveOwner(home);
    const foreign = await foreignListener();
    const file = writeSettings(tempDir(), 'settings.local.json', {
      hooks: { PostToolUse: [{ matcher: '', hooks: [httpHook(foreign.port, 'post-tool-use')] }] },
    });
    writeFileSync(path.join(home, 'monitor.json'), JSON.stringify({ pid, startedAt: 0, hookPort: foreign.port }));
    expect(await hooksElsewhere({ home, files: [file] })).toBeUndefined();
    writeFileSync(path.join(home, 'monitor.json'), JSON.stringify({ pid, startedAt: 0, hookPort: foreign.port + 1 }));
    expect(await hooksElsewhere({ home, files: [file] })).toMatchObject({ monitorPort: foreign.port + 1 });
  });

  it('gives a monitor that holds the lock but has not said where it serves the benefit of the doubt', async () => {
    // It may be about to listen on the very port the hooks name: a stop then would end a sound session.
    const home = tempDir();
    await liveOwner(home);
    const foreign = await foreignListener();
    const file = writeSettings(tempDir(), 'settings.local.json', {
      hooks: { PostToolUse: [{ matcher: '', hooks: [httpHook(foreign.port, 'post-tool-use')] }] },
    });
    expect(await hooksElsewhere({ home, files: [file] })).toBeUndefined();
  });
});

/** What ran the SessionStart command, as Claude Code would: its pid (named to the hook), and how it ended. */
interface AgentRun {
  pid: number;
  signal: NodeJS.Signals | null;
  answer: string;
}

/**
 * A stand-in for Claude Code: runs `command` through sh with the SessionStart input on stdin, names itself in
 * CLAUDE_PID as Claude Code does, and once the hook has answered posts the first prompt to `promptUrl` with `token`,
 * as its UserPromptSubmit http hook would. An agent ended by the hook posts nothing.
 */
function runAgent(
  m: MonitorHome,
  command: string,
  input: unknown,
  post: { url: string; token: string },
): Promise<AgentRun> {
  const script = `
    const { spawn } = require('node:child_process');
    const [command, input, url, token] = process.argv.slice(1);
    const sh = spawn('/bin/sh', ['-c', command], { env: { ...process.env, CLAUDE_PID: String(process.pid) } });
    let answer = '';
    sh.stdout.on('data', (d) => (answer += d));
    sh.on('close', async () => {
      process.stdout.write(answer);
      await fetch(url, { method: 'POST', headers: { 'x-taskhooks-token': token }, body: '{"prompt":"hi"}' }).catch(() => {});
    });
    sh.stdin.end(input);`;
  const child: ChildProcess = spawn(
    process.execPath,
    ['-e', script, command, JSON.stringify(input), post.url, post.token],
    {
      env: { ...process.env, TASKHOOKS_HOME: m.home, TASKHOOKS_NO_AUTOSTART: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let answer = '';
  child.stdout?.on('data', (d: Buffer) => (answer += d.toString('utf8')));
  return new Promise((resolve) =>
    child.on('close', (_code, signal) => resolve({ pid: child.pid ?? 0, signal, answer })),
  );
}

/** The person's own Claude Code settings, where install keeps the hook token. */
const userSettingsFile = (): string => path.join(process.env.HOME ?? '', '.claude', 'settings.json');
const userToken = (name: string): unknown =>
  (JSON.parse(readFileSync(userSettingsFile(), 'utf8')) as { env?: Record<string, string> }).env?.[name];
function setUserToken(name: string, token: string): void {
  const user = JSON.parse(readFileSync(userSettingsFile(), 'utf8')) as { env: Record<string, string> };
  writeFileSync(userSettingsFile(), JSON.stringify({ ...user, env: { ...user.env, [name]: token } }));
}

type Settings = {
  hooks: Record<string, Array<{ hooks: Array<{ command?: string; url?: string; headers?: Record<string, string> }> }>>;
};

describe('SessionStart with the project’s hooks on a port another process took', () => {
  it('ends the session before its first prompt is posted, answered by the monitor or by the node hook', async () => {
    const port = await freePort();
    // Installed while the monitor held the home's port: the hooks name it, with the token of then.
    const { m, repo } = installedShop({ monitor: { hookPort: port } }, cleanups);
    expect(m.info()?.hookPort).toBe(port);
    const oldToken = readFileSync(path.join(m.home, 'hook-token'), 'utf8').trim();
    const settingsFile = path.join(repo.dir, '.claude', 'settings.local.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Settings;
    const sessionStart = settings.hooks.SessionStart?.[0]?.hooks[0]?.command ?? '';
    const prompt = settings.hooks.UserPromptSubmit?.[0]?.hooks[0];
    expect(prompt?.url).toBe(`http://127.0.0.1:${port}/hooks/user-prompt-submit`);
    // The project file names the token's variable; its value is in the person's own settings.
    const tokenVar = hookTokenVar(m.home);
    expect(prompt?.headers?.['X-Taskhooks-Token']).toBe(`$${tokenVar}`);
    expect(userToken(tokenVar)).toBe(oldToken);

    // The monitor stops; another process takes the port; the monitor starts again, elsewhere, with a new token.
    expect(m.cli(['monitor', 'stop']).code).toBe(0);
    const foreign = await foreignListener(port);
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    const moved = m.info()?.hookPort;
    expect(m.info()?.hookPortHeld).toBe(port);
    expect(moved).not.toBe(port);
    const newToken = readFileSync(path.join(m.home, 'hook-token'), 'utf8').trim();
    expect(newToken).not.toBe(oldToken);
    expect(statSync(path.join(m.home, 'hook-token')).mode & 0o777).toBe(0o600);
    // The monitor points the project's hooks at where it answers now, with the new token, at once.
    const rewritten = (JSON.parse(readFileSync(settingsFile, 'utf8')) as Settings).hooks.UserPromptSubmit?.[0]
      ?.hooks[0];
    expect(rewritten?.url).toBe(`http://127.0.0.1:${moved}/hooks/user-prompt-submit`);
    expect(rewritten?.headers?.['X-Taskhooks-Token']).toBe(`$${tokenVar}`);
    expect(userToken(tokenVar)).toBe(newToken);
    // A copy it could not rewrite still names the old port: a session started with it is stopped.
    writeFileSync(settingsFile, JSON.stringify(settings));

    // Each run a session of its own: one registration answers each session's start.
    const input = (session: string) => sessionStartInput(repo.dir, session);
    const post = { url: prompt?.url ?? '', token: oldToken };
    // Answered by the monitor over its socket: it ends the agent, which never posts its prompt.
    const served = await runAgent(m, sessionStart, input('served'), post);
    expect(served.signal).toBe('SIGTERM');
    expect(foreign.seen).toEqual([]);
    // The next CLI command (and session) is told why, with the fix.
    const told = readdirSync(path.join(m.home, 'notices', 'cli'))
      .filter((f) => f.endsWith('.txt'))
      .map((f) => readFileSync(path.join(m.home, 'notices', 'cli', f), 'utf8'));
    expect(told).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^taskhooks stopped a session in .*shop before any tool call: .* to 127\\.0\\.0\\.1:${port}, where another process listens, while this state directory’s monitor answers on ${moved}\\. Run \`taskhooks install\``,
        ),
      ),
    );

    // doctor names the old port, and, once that is fixed by hand, the token the home no longer accepts.
    const routeStep = () =>
      (
        JSON.parse(m.cli(['doctor', '--json'], repo.dir).stdout) as {
          steps: Array<{ name: string; ok: boolean; detail: string; fix?: string }>;
        }
      ).steps.find((s) => s.name === 'Claude Code hooks');
    expect(routeStep()).toMatchObject({
      ok: false,
      detail: expect.stringContaining(
        `post to 127.0.0.1:${port}, where the monitor does not listen (it serves ${moved}`,
      ),
    });
    writeFileSync(
      settingsFile,
      readFileSync(settingsFile, 'utf8').replaceAll(`127.0.0.1:${port}/`, `127.0.0.1:${moved}/`),
    );
    setUserToken(tokenVar, oldToken);
    expect(routeStep()).toMatchObject({
      ok: false,
      detail: expect.stringContaining(
        `the tool-call hooks in ${settingsFile} carry a hook token this state directory no longer accepts`,
      ),
      fix: 'write the current one: `taskhooks install` in this project, then restart its sessions',
    });
    writeFileSync(settingsFile, JSON.stringify(settings));

    // With the monitor down, the node hook answers SessionStart (the socket client finds none) and stops it the same way.
    expect(m.cli(['monitor', 'stop']).code).toBe(0);
    const fallback = await runAgent(m, sessionStart, input('fallback'), post);
    expect(fallback.signal).toBe('SIGTERM');
    expect(foreign.seen).toEqual([]);

    // The fix: the monitor back (elsewhere), install again, and the session starts, its prompt posted to the monitor.
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    expect(m.cli(['install'], repo.dir).code).toBe(0);
    expect(routeStep()?.ok).toBe(true);
    const fixed = JSON.parse(readFileSync(settingsFile, 'utf8')) as Settings;
    const fixedPrompt = fixed.hooks.UserPromptSubmit?.[0]?.hooks[0];
    const token = readFileSync(path.join(m.home, 'hook-token'), 'utf8').trim();
    expect(fixedPrompt?.headers?.['X-Taskhooks-Token']).toBe(`$${tokenVar}`);
    expect(userToken(tokenVar)).toBe(token);
    const started = await runAgent(m, fixed.hooks.SessionStart?.[0]?.hooks[0]?.command ?? '', input('fixed'), {
      url: fixedPrompt?.url ?? '',
      token,
    });
    expect(started.signal).toBeNull();
    const answer = JSON.parse(started.answer) as Record<string, unknown>;
    expect(answer).toMatchObject({ hookSpecificOutput: { hookEventName: 'SessionStart' } });
    expect(answer.continue).toBeUndefined();
    expect(foreign.seen).toEqual([]);
  });
});
