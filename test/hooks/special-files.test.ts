// A stranger's files cannot hang or flood taskhooks: a FIFO named .git (here or in a parent), .git, the project config
// and .mcp.json linked to /dev/zero or /dev/urandom (links survive a clone), and a config over the 1 MB cap. Every built
// hook, run as Claude Code runs it, exits 0 with valid output and a bounded peak memory, never held (its own
// watchdog answers within Claude Code's timeout: test/hooks/hosts); `doctor` and `context` finish and name the refused
// file in one line; the real monitor keeps serving other sessions while a request from the hostile repository is in
// flight.
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HOOK_EVENTS } from '../../src/hooks/events/events.js';
import { openDatabase } from '../../src/sqlite/driver.js';
import { makeRepo } from '../helpers/git.js';
import {
  hookEnv,
  parseHookStdout,
  preToolUseInput,
  ROOT,
  seedSnapshot,
  sessionStartInput,
  task,
  tempHome,
} from '../helpers/hooks.js';
import { monitorHome, waitFor, type MonitorHome } from '../monitor/helpers.js';

/** Generous: a hook starts at ~50 MB; the red team saw one grow without end. */
const PEAK_RSS_LIMIT_KB = 300 * 1024;
/** A hook still running after a minute is held by what it read: a bound on a hang, not on a busy machine's speed. */
const HELD_MS = 60_000;

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** Makes the hostile file in a project folder (`project`) that sits one level below `top`. */
type Hostile = { gitless?: true; make(project: string, top: string): void };

const fifo = (file: string): void => {
  execFileSync('mkfifo', [file]);
};
const link = (target: string) => (file: string) => symlinkSync(target, file);

/** Each hostile layout, with the line that must name it. A hostile `.git` goes in a folder outside any repository. */
const CASES: Array<[string, Hostile, RegExp]> = [
  [
    'a FIFO .git in the working directory',
    { gitless: true, make: (p) => fifo(path.join(p, '.git')) },
    /\.git is a FIFO/,
  ],
  ['a FIFO .git in a parent', { gitless: true, make: (_p, top) => fifo(path.join(top, '.git')) }, /\.git is a FIFO/],
  // One device per file: each is refused by its kind before it is opened, so /dev/zero and /dev/urandom take the same
  // path (test/util/safe-read.test.ts has both); a reader that skipped the check would never end on either.
  [
    '.git linked to /dev/zero',
    { gitless: true, make: (p) => link('/dev/zero')(path.join(p, '.git')) },
    /\.git is a character/,
  ],
  [
    '.claude/taskhooks.json linked to /dev/urandom',
    { make: (p) => link('/dev/urandom')(path.join(p, '.claude', 'taskhooks.json')) },
    /taskhooks\.json.*a character device, not a regular file/,
  ],
  [
    '.mcp.json linked to /dev/zero',
    { make: (p) => link('/dev/zero')(path.join(p, '.mcp.json')) },
    /\.mcp\.json.*a character/,
  ],
  [
    'a project config over 1 MB',
    {
      make: (p) => writeFileSync(path.join(p, '.claude', 'taskhooks.json'), `{"project":"${'x'.repeat(1024 * 1024)}"}`),
    },
    /taskhooks\.json.*over the 1048576-byte limit/,
  ],
];

/**
 * A project `demo` with `.claude/` (a git repository unless `gitless`), made hostile, and a home with a snapshot;
 * undone by `undo` (after the test, by default).
 */
function hostileProject(hostile: Hostile, undo: Array<() => unknown> = cleanups): { dir: string; home: string } {
  const repo = makeRepo({ name: 'demo', commits: ['initial'] });
  undo.push(repo.cleanup);
  const top = hostile.gitless ? path.join(path.dirname(repo.dir), 'work') : path.dirname(repo.dir);
  const dir = path.join(top, 'demo');
  mkdirSync(path.join(dir, '.claude'), { recursive: true });
  const t = tempHome();
  undo.push(t.cleanup);
  seedSnapshot(t.home, { sourceKey: 'embedded', project: 'demo', branch: '', tasks: [task('T-1')] });
  hostile.make(dir, top);
  return { dir, home: t.home };
}

interface Measured {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The highest VmHWM (peak resident set) seen while it ran, in kB. */
  peakKb: number;
  /** Where a killed child was (its /proc state, wait channel and CPU time) and how late this process's timers ran. */
  killed?: string;
  /** Killed while runnable: waiting for a core, not for a read. */
  starved?: boolean;
}

/**
 * Runs `argv` under node, killed at `killAfterMs`, polling its peak resident set from /proc, and read once more by the
 * process itself as it exits (a preload): on busy cores this process's timers run late, and a quick hook was gone
 * before the first poll. Its input comes from a file, as a pipe's end would only reach it once this process's event
 * loop runs: on busy cores a late loop held a hook on its stdin until the kill.
 */
function measure(argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; stdin: string; killAfterMs: number }) {
  const input = path.join(mkdtempSync(path.join(os.tmpdir(), 'th-special-stdin-')), 'input.json');
  writeFileSync(input, opts.stdin);
  const fd = openSync(input, 'r');
  const atExit = path.join(path.dirname(input), 'peak-kb');
  const preload = path.join(path.dirname(input), 'peak.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => { const m = /VmHWM:\\s+(\\d+) kB/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8')); if (m) require('node:fs').writeFileSync(${JSON.stringify(atExit)}, m[1]); });\n`,
  );
  return new Promise<Measured>((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', preload, ...argv], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: [fd, 'pipe', 'pipe'],
    });
    let peakKb = 0;
    let lastTick = Date.now();
    let lateMs = 0;
    let killed: string | undefined;
    let starved = false;
    const poll = setInterval(() => {
      lateMs = Math.max(lateMs, Date.now() - lastTick - 10);
      lastTick = Date.now();
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // gone already
      }
    }, 10);
    const killer = setTimeout(() => {
      const where = whereIs(child.pid);
      starved = where.startsWith('state R');
      killed = `${where}; this process's timers ran up to ${lateMs} ms late`;
      child.kill('SIGKILL');
    }, opts.killAfterMs);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    // Piped as asked; the types cannot tell from a stdio array that also holds a descriptor.
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const done = (): void => {
      clearInterval(poll);
      clearTimeout(killer);
      closeSync(fd);
      rmSync(path.dirname(input), { recursive: true, force: true });
    };
    child.on('error', (e) => {
      done();
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (existsSync(atExit)) peakKb = Math.max(peakKb, Number(readFileSync(atExit, 'utf8')));
      done();
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(err).toString();
      resolve({ code, signal, stdout, stderr, peakKb, ...(killed ? { killed, starved } : {}) });
    });
  });
}

/** A process's state, what it waits in and the CPU time it used, from /proc. */
function whereIs(pid: number | undefined): string {
  try {
    const state = /State:\s+(.*)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    // utime and stime, the 14th and 15th fields, in clock ticks of 10 ms; the command name before them may hold spaces.
    const times = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const cpuMs = (Number(times[11]) + Number(times[12])) * 10;
    return `state ${state}, waiting in ${readFileSync(`/proc/${pid}/wchan`, 'utf8') || '-'}, ${cpuMs} ms of CPU`;
  } catch {
    return 'gone';
  }
}

/**
 * measure, run again (three runs in all) while a run was killed runnable: on loaded cores it waited for one, which is
 * the machine's doing. A hook stuck on a read sleeps in it, and fails at once; one that spins fails all three.
 */
async function measureInTime(argv: string[], opts: Parameters<typeof measure>[1]): Promise<Measured> {
  for (let attempt = 1; ; attempt++) {
    const run = await measure(argv, opts);
    if (!run.starved || attempt === 3) return run;
    console.log(`${argv.join(' ')} was killed waiting for a core (${run.killed}); running it again`);
  }
}

function inputFor(event: string, cwd: string): Record<string, unknown> {
  const base = preToolUseInput(cwd, 'Edit', { file_path: path.join(cwd, 'a.ts'), old_string: 'a', new_string: 'b' });
  if (event === 'SessionStart') return sessionStartInput(cwd);
  return { ...base, hook_event_name: event, prompt: 'go on', tool_response: {}, reason: 'exit', agent_type: 'x' };
}

/** A repository's own Claude Code settings, made hostile: SessionStart neither reads, nor writes, nor runs them. */
const HOSTILE_SETTINGS: Array<[string, (project: string, elsewhere: string) => void]> = [
  ['.claude/settings.json a FIFO', (p) => fifo(path.join(p, '.claude', 'settings.json'))],
  [
    '.claude/settings.local.json linked to /dev/zero',
    (p) => link('/dev/zero')(path.join(p, '.claude', 'settings.local.json')),
  ],
  [
    'a 1 GB .claude/settings.json (sparse)',
    (p) => {
      const file = path.join(p, '.claude', 'settings.json');
      writeFileSync(file, '{"hooks":{}}');
      truncateSync(file, 1024 * 1024 * 1024);
    },
  ],
  [
    'an mcp_tool handler whose event climbs to a script of the repository',
    (p) => {
      writeFileSync(
        path.join(p, 'payload.js'),
        `require('fs').writeFileSync(${JSON.stringify(path.join(p, 'RAN'))}, 'x')`,
      );
      const handler = {
        type: 'mcp_tool',
        server: 'taskhooks',
        tool: 'hook',
        input: { event: `../../../../../../../../..${p}/payload`, session_id: '${session_id}', cwd: '${cwd}' },
        timeout: 99999,
      };
      writeFileSync(
        path.join(p, '.claude', 'settings.json'),
        JSON.stringify({ hooks: { PreToolUse: [{ matcher: '', hooks: [handler] }] } }),
      );
      writeFileSync(path.join(p, '.mcp.json'), JSON.stringify({ mcpServers: {} }));
    },
  ],
  [
    '.claude/settings.json linked to another project’s settings',
    (p, elsewhere) =>
      symlinkSync(path.join(elsewhere, 'settings.local.json'), path.join(p, '.claude', 'settings.json')),
  ],
];

describe.each(HOSTILE_SETTINGS)('a repository with %s', (_label, make) => {
  it('SessionStart answers in time, writes no settings and runs nothing of the repository', async () => {
    const { dir, home } = hostileProject({ make: () => undefined });
    const elsewhere = path.join(path.dirname(dir), 'other-project');
    mkdirSync(elsewhere);
    const theirs = JSON.stringify({
      hooks: {
        PreToolUse: [
          {
            matcher: '',
            hooks: [{ type: 'mcp_tool', server: 'taskhooks', tool: 'hook', input: { event: 'pre-tool-use' } }],
          },
        ],
      },
    });
    writeFileSync(path.join(elsewhere, 'settings.local.json'), theirs);
    make(dir, elsewhere);
    const before = readdirSync(path.join(dir, '.claude')).sort();
    const run = await measureInTime([path.join(ROOT, 'dist/hooks/session-start.js')], {
      cwd: dir,
      env: hookEnv(home),
      stdin: JSON.stringify(sessionStartInput(dir)),
      killAfterMs: 35_000,
    });
    expect([run.code, run.signal], run.killed ?? run.stderr).toEqual([0, null]);
    expect(run.peakKb).toBeLessThan(PEAK_RSS_LIMIT_KB);
    expect(parseHookStdout(run.stdout)?.hookSpecificOutput.additionalContext).toContain('[taskhooks] project demo');
    expect(existsSync(path.join(dir, 'RAN'))).toBe(false);
    expect(readdirSync(path.join(dir, '.claude')).sort()).toEqual(before);
    expect(readFileSync(path.join(elsewhere, 'settings.local.json'), 'utf8')).toBe(theirs);
    expect(readdirSync(elsewhere)).toEqual(['settings.local.json']);
  }, 60_000);
});

describe.each(CASES)('with %s', (_label, make, refused) => {
  // Made once for both tests: the hooks and the CLI only read the hostile project.
  const made: Array<() => unknown> = [];
  let project: { dir: string; home: string } | undefined;
  const hostile = () => (project ??= hostileProject(make, made));
  afterAll(() => {
    for (const c of made.splice(0).reverse()) c();
  });

  it('every hook exits 0, never held, with valid output and bounded memory', async () => {
    const { dir, home } = hostile();
    const env = hookEnv(home);
    const runs = [
      ...HOOK_EVENTS.map((e) => ({
        name: e.name,
        event: e.event as string,
        killAfterMs: HELD_MS,
        stdin: JSON.stringify(inputFor(e.event, dir)),
      })),
      {
        name: 'status-line',
        event: '',
        killAfterMs: HELD_MS,
        stdin: JSON.stringify({ session_id: 's', cwd: dir, workspace: { current_dir: dir }, model: {} }),
      },
    ];
    for (const r of runs) {
      const run = await measureInTime([path.join(ROOT, 'dist/hooks', `${r.name}.js`)], { cwd: dir, env, ...r });
      expect([r.name, run.code, run.signal], run.killed ?? run.stderr).toEqual([r.name, 0, null]);
      expect(run.peakKb, r.name).toBeGreaterThan(0);
      expect(run.peakKb, r.name).toBeLessThan(PEAK_RSS_LIMIT_KB);
      if (r.event) {
        const output = parseHookStdout(run.stdout);
        if (output) expect(output.hookSpecificOutput.hookEventName).toBe(r.event);
      } else expect(run.stdout.split('\n').length).toBeLessThanOrEqual(2);
    }
  }, 240_000);

  it('doctor and context finish and name the refused file in one line', async () => {
    const { dir, home } = hostile();
    const env = hookEnv(home, { NO_COLOR: '1' });
    for (const args of [['doctor'], ['context', '--offline']]) {
      const run = await measureInTime([path.join(ROOT, 'dist/cli.js'), ...args], {
        cwd: dir,
        env,
        stdin: '',
        killAfterMs: 60_000,
      });
      expect([args[0], run.signal], run.killed ?? run.stderr).toEqual([args[0], null]);
      expect(run.peakKb, args[0]).toBeLessThan(PEAK_RSS_LIMIT_KB);
      const lines = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => refused.test(l));
      expect(lines.length, `${args[0]}:\n${run.stdout}\n${run.stderr}`).toBeGreaterThan(0);
    }
  }, 180_000);
});

describe('the monitor with a request from a hostile repository in flight', () => {
  let monitor: MonitorHome | undefined;
  afterEach(() => monitor?.cleanup());

  it('keeps answering the served hooks of other sessions', async () => {
    const sound = makeRepo({ name: 'sound', commits: ['initial'] });
    cleanups.push(sound.cleanup);
    const hostile = makeRepo({ name: 'hostile', commits: ['initial'] });
    cleanups.push(hostile.cleanup);
    rmSync(path.join(hostile.dir, '.git'), { recursive: true, force: true });
    fifo(path.join(hostile.dir, '.git'));
    mkdirSync(path.join(hostile.dir, '.claude'));
    symlinkSync('/dev/zero', path.join(hostile.dir, '.claude', 'taskhooks.json'));
    symlinkSync('/dev/urandom', path.join(hostile.dir, '.mcp.json'));

    monitor = monitorHome({});
    const m = monitor;
    m.run();
    const port = await waitFor('the served hooks', () => m.info()?.hookPort ?? undefined, 60_000);
    const token = readFileSync(path.join(m.home, 'hook-token'), 'utf8').trim();
    const post = (cwd: string) =>
      fetch(`http://127.0.0.1:${port}/hooks/pre-tool-use`, {
        method: 'POST',
        headers: { 'x-taskhooks-token': token, 'content-type': 'application/json' },
        body: JSON.stringify(preToolUseInput(cwd, 'Edit', { file_path: path.join(cwd, 'a.ts') })),
      }).then(async (r) => ({ status: r.status, body: (await r.text()) || '{}' }));

    const inFlight = post(hostile.dir);
    const others = await Promise.all([post(sound.dir), post(sound.dir), post(sound.dir)]);
    for (const r of others) {
      expect(r.status).toBe(200);
      expect(() => JSON.parse(r.body)).not.toThrow();
    }
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(() => JSON.parse(answered.body)).not.toThrow();
    // Still alive and serving after it.
    expect((await post(sound.dir)).status).toBe(200);
  }, 120_000);
});

/** A file of the state folder, a FIFO in its place: every file a hook opens there is refused by its kind first. */
const STATE_FIFOS: Array<[string, (home: string) => void]> = [
  ['tasks.db', (home) => rmSync(path.join(home, 'tasks.db'))],
  // With no -wal, the check for a log deleted while it held commits reads the -shm.
  ['tasks.db-shm', () => undefined],
  ['tasks.db-wal', () => undefined],
  ['cache.db', (home) => rmSync(path.join(home, 'cache.db'))],
  ['cache.db-shm', () => undefined],
  ['cache.db-wal', () => undefined],
  ['logs/hooks.log', (home) => mkdirSync(path.join(home, 'logs'), { recursive: true })],
];

describe.each(STATE_FIFOS)('a state folder whose %s is a FIFO', (name, clear) => {
  it('a cold SessionStart answers in time and names the refused file', async () => {
    const repo = makeRepo({ name: 'demo' });
    const t = tempHome();
    cleanups.push(repo.cleanup, t.cleanup);
    const env = hookEnv(t.home);
    // A task in the store, then its write-ahead log folded in and gone (a closed store), and no cache: the cold path.
    execFileSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'tasks', 'add', 'Ship it'], { cwd: repo.dir, env });
    openDatabase(path.join(t.home, 'tasks.db')).close();
    rmSync(path.join(t.home, 'cache.db'), { force: true });
    const input = JSON.stringify(sessionStartInput(repo.dir));
    if (name.startsWith('cache.db'))
      execFileSync(process.execPath, [path.join(ROOT, 'dist/hooks/session-start.js')], { cwd: repo.dir, env, input });
    for (const f of ['-wal', '-shm']) rmSync(path.join(t.home, `${name.split('-')[0]}${f}`), { force: true });
    clear(t.home);
    fifo(path.join(t.home, name));

    const run = await measureInTime([path.join(ROOT, 'dist/hooks/session-start.js')], {
      cwd: repo.dir,
      env,
      stdin: input,
      killAfterMs: 35_000,
    });

    expect([run.code, run.signal], run.killed ?? run.stderr).toEqual([0, null]);
    expect(parseHookStdout(run.stdout)?.hookSpecificOutput.additionalContext).toContain('[taskhooks] project demo');
    if (name !== 'logs/hooks.log')
      expect(readFileSync(path.join(t.home, 'logs', 'hooks.log'), 'utf8')).toContain(`${name} is a FIFO`);
  }, 60_000);
});
