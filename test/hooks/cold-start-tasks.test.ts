// The first sessions after a reboot or a `cache clear`, the monitor down and no agent connecting to the task tools:
// each SessionStart, run as the built node hook, still tells its session the tasks, read from the local store, and
// only then waits for the tools it says were not connected. Eight at once, as a team's terminals reopen together;
// through install's command, one of them starts the monitor and the others wait for its answer.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { homeFiles } from '../../src/home/files.js';
import { TOOLS_MISSING_LINE } from '../../src/hooks/events/session-start-tools.js';
import { makeRepo } from '../helpers/git.js';
import {
  closedPortUrl,
  hookEnv,
  hooksLog,
  installedSessionStart,
  runHook,
  sessionStartInput,
} from '../helpers/hooks.js';
import { perTest, waitFor } from '../monitor/helpers.js';
import { freePort } from '../helpers/serve.js';

const t = perTest();
const SESSIONS = 8;

it('eight cold SessionStarts at once, no client and an empty cache, each tell the task from tasks.db', async () => {
  // The hooks' own deadlines (no roomy ones): what a real install runs with.
  const m = t.home({});
  const repo = makeRepo({ name: 'shop' });
  t.undo(repo.cleanup);
  expect(m.cli(['tasks', 'add', 'Ship the cold start'], repo.dir).code).toBe(0);
  expect(m.cli(['cache', 'clear']).code).toBe(0);
  // Claude Code's local-scope entry for the project, as install writes it, on a port nobody serves yet.
  const config = mkdtempSync(path.join(os.tmpdir(), 'th-claude-config-'));
  t.undo(() => rmSync(config, { recursive: true, force: true }));
  const url = new URL(await closedPortUrl());
  const entry = { type: 'http', url: `http://127.0.0.1:${url.port}/mcp`, headers: { Authorization: 'Bearer x' } };
  writeFileSync(
    path.join(config, '.claude.json'),
    JSON.stringify({ projects: { [repo.dir]: { mcpServers: { taskhooks: entry } } } }),
  );
  // The hooks may start the monitor; the test's own process stands for Claude Code, which never lists the tools.
  const env = { CLAUDE_CONFIG_DIR: config, CLAUDE_PID: String(process.pid), TASKHOOKS_NO_AUTOSTART: '0' };

  const runs = await Promise.all(
    Array.from({ length: SESSIONS }, (_, i) =>
      runHook('session-start', sessionStartInput(repo.dir, `cold-${i}`), { home: m.home, cwd: repo.dir, env }),
    ),
  );
  const pid = await waitFor('the monitor the hooks started', () => m.info()?.pid);
  m.pids.add(pid);

  for (const run of runs) {
    expect(run.code).toBe(0);
    const context = run.output?.hookSpecificOutput.additionalContext ?? '';
    expect(context).toContain('Ship the cold start');
    expect(context).toContain(TOOLS_MISSING_LINE);
  }
});

/** Runs `command` under sh with `input` on its stdin: its exit code and stdout. */
function shell(command: string, input: string, opts: { cwd: string; env: NodeJS.ProcessEnv }) {
  return new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { ...opts, stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.end(input);
  });
}

/** A claim of the monitor's start by a hook that has gone, made `agoMs` before: within 5 s it still holds. */
async function goneClaim(home: string, agoMs: number): Promise<void> {
  const gone = spawn('true');
  await new Promise((r) => gone.on('close', r));
  const claim = { pid: gone.pid, since: 'gone', at: Date.now() - agoMs };
  writeFileSync(homeFiles(home).starter, JSON.stringify(claim));
}

for (const lapsing of [false, true])
  it(`eight at once through install's command: one starts the monitor, and the others are told by it${lapsing ? ', a claim left by a gone hook lapsing as they wait' : ''}`, async () => {
    const m = t.home({});
    const repo = makeRepo({ name: 'shop' });
    t.undo(repo.cleanup);
    expect(m.cli(['tasks', 'add', 'Ship the herd'], repo.dir).code).toBe(0);
    expect(m.cli(['cache', 'clear']).code).toBe(0);
    const command = installedSessionStart(m.home);
    const env = hookEnv(m.home, { TASKHOOKS_NO_AUTOSTART: '0', TASKHOOKS_LOG_LEVEL: 'debug' });
    // Its hook exited and its monitor never came: the herd waits on it and finds it lapsed 2 s later.
    if (lapsing) await goneClaim(m.home, 3000);

    const runs = await Promise.all(
      Array.from({ length: SESSIONS }, (_, i) =>
        shell(command, JSON.stringify(sessionStartInput(repo.dir, `herd-${i}`)), { cwd: repo.dir, env }),
      ),
    );
    const pid = await waitFor('the monitor the hooks started', () => m.info()?.pid);
    m.pids.add(pid);

    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Ship the herd');
    }
    // The monitor's lock ended the claim: one killed now would not keep the next sessions waiting it out.
    expect(existsSync(homeFiles(m.home).starter)).toBe(false);
    // One node hook loaded its bundle and started a monitor; no second monitor was started to find the lock taken.
    expect(hooksLog(m.home).match(/no monitor was running: started one/g)).toHaveLength(1);
    const monitorLog = readFileSync(path.join(m.home, 'logs', 'monitor.log'), 'utf8');
    expect(monitorLog.match(/"msg":"monitor started"/g)).toHaveLength(1);
    // Each SessionStart that ran its bundle checked on the monitor, as the monitor's served ones do: one hook process did.
    const checks = hooksLog(m.home)
      .split('\n')
      .filter((line) => line.includes('"msg":"monitor checked"'))
      .map((line) => (JSON.parse(line) as { pid: number }).pid);
    expect(checks.filter((p) => p !== pid)).toHaveLength(1);
  });

it("after a crash, the first SessionStart's socket client holds the store port for the monitor its hook starts", async () => {
  const port = await freePort();
  const m = t.home({ monitor: { storeServerPort: port } });
  const repo = makeRepo({ name: 'shop' });
  t.undo(repo.cleanup);
  expect(m.cli(['tasks', 'add', 'Ship after the crash'], repo.dir).code).toBe(0);
  expect(m.cli(['monitor', 'start']).code).toBe(0);
  const crashed = await waitFor('the first monitor', () => m.info()?.pid);
  process.kill(crashed, 'SIGKILL');
  await waitFor('the first monitor gone', () => !existsSync(`/proc/${crashed}`));
  const env = hookEnv(m.home, { TASKHOOKS_NO_AUTOSTART: '0', TASKHOOKS_LOG_LEVEL: 'debug' });

  const run = await shell(installedSessionStart(m.home), JSON.stringify(sessionStartInput(repo.dir)), {
    cwd: repo.dir,
    env,
  });
  const pid = await waitFor('the monitor the hook started', () => m.info()?.pid !== crashed && m.info()?.pid);
  m.pids.add(pid);

  expect(run.stdout).toContain('Ship after the crash');
  // perl bound the port before the node hook loaded, and the hook handed that socket on rather than binding its own.
  const checked = hooksLog(m.home)
    .split('\n')
    .filter((line) => line.includes('"msg":"monitor checked"'))
    .map((line) => (JSON.parse(line) as { storeBy: string }).storeBy);
  expect(checked).toEqual(['socket client']);
  expect(m.info()?.storeServerUrl).toBe(`http://127.0.0.1:${port}/mcp`);
});

it('with no git on the PATH (a Windows machine without Git for Windows), still tells the task and says git is out', async () => {
  const m = t.home({});
  const repo = makeRepo({ name: 'shop' });
  t.undo(repo.cleanup);
  expect(m.cli(['tasks', 'add', 'Ship without git'], repo.dir).code).toBe(0);
  // A PATH holding node alone: the hook's own git reads find no git to run.
  const bin = mkdtempSync(path.join(os.tmpdir(), 'th-no-git-'));
  t.undo(() => rmSync(bin, { recursive: true, force: true }));
  symlinkSync(process.execPath, path.join(bin, 'node'));
  const run = await runHook('session-start', sessionStartInput(repo.dir), {
    home: m.home,
    cwd: repo.dir,
    env: { PATH: bin },
  });
  expect(run.code).toBe(0);
  const context = run.output?.hookSpecificOutput.additionalContext ?? '';
  expect(context).toContain('Ship without git');
  expect(context).toContain('Git: state unavailable (git not installed');
});
