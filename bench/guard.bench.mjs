// The push guard's worst case on the served route (`npm run bench guard`): a real monitor (`taskhooks monitor run`)
// with protectedBranches ["main"] answers PreToolUse over its hook port, as Claude Code's http hook posts it, for the
// longest lines the guard reads of each costly shape. Reported per shape: the call's time (median of 3, and the
// slowest) with its decision, and the slowest answer another session's Edit got meanwhile (the monitor serves every
// session on one thread). Goal: every call well inside the served deadline (hooks.preToolUseDeadlineMs + 2 s, 3 s by
// default) and Claude Code's 5 s, and no other session kept waiting for a whole call.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { editInput, fmt, loadAverage, makeRepo, node, root } from './lib.mjs';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-guard-'));
const children = [];
// However this process ends (a failed run throws), it leaves no directory and no monitor behind.
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

const repo = makeRepo(path.join(tmp, 'demo'));
const home = path.join(tmp, 'home');
mkdirSync(home);
writeFileSync(
  path.join(home, 'config.json'),
  JSON.stringify({ monitor: { hookPort: 0 }, hooks: { guards: { protectedBranches: ['main'] } } }),
);
const env = { ...process.env, TASKHOOKS_HOME: home, TASKHOOKS_NO_AUTOSTART: '1' };
const monitor = spawn(node, [path.join(root, 'dist/cli.js'), 'monitor', 'run'], { env, stdio: 'ignore' });
children.push(monitor);
const infoFile = path.join(home, 'monitor.json');
for (let i = 0; i < 200 && !existsSync(infoFile); i++) await new Promise((r) => setTimeout(r, 50));
const { hookPort } = JSON.parse(readFileSync(infoFile, 'utf8'));
const token = readFileSync(path.join(home, 'hook-token'), 'utf8').trim();

/** One served PreToolUse: its time in ms and the decision it came with ('pass' for none). */
function post(input) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(
      {
        host: '127.0.0.1',
        port: hookPort,
        path: '/hooks/pre-tool-use',
        method: 'POST',
        headers: { 'x-taskhooks-token': token, 'content-type': 'application/json' },
      },
      (res) => {
        const body = [];
        res.on('data', (b) => body.push(b));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          const text = Buffer.concat(body).toString();
          const decision = text ? (JSON.parse(text).hookSpecificOutput?.permissionDecision ?? 'pass') : 'pass';
          resolve({ ms, decision });
        });
      },
    );
    req.on('error', reject);
    req.end(input);
  });
}

const bash = (command, session = 'long') =>
  JSON.stringify({
    session_id: session,
    cwd: repo,
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command },
  });

/** The longest line under the 64 KiB the guard parses, of `unit` repeated, then `tail`. */
const longest = (unit, tail) => `${unit.repeat(Math.floor((64 * 1024 - tail.length - 1) / unit.length))}${tail}`;
const checkouts = Array.from({ length: 1200 }, (_, i) => `git -C other checkout -q b${i}`).join(' && ');
const SHAPES = [
  [
    '800 × `git checkout -q :/a && cd w && `, push (23 KB)',
    `${'git checkout -q :/a && cd w && '.repeat(800)}git push origin HEAD:main`,
  ],
  ['the same to 64 KiB', longest('git checkout -q :/a && cd w && ', 'git push origin HEAD:main')],
  ['`cd w;` to 64 KiB, push', longest('cd w;', 'git push origin HEAD:main')],
  ['`git checkout x; git push;` to 64 KiB', longest('git checkout x; git push; ', 'git push origin main')],
  [
    '1,200 checkouts elsewhere, then pushes',
    `${checkouts} && ${'git push origin HEAD; '.repeat(1200)}`.slice(0, 64 * 1024 - 1),
  ],
  ['64 KiB of plain words, push', longest('echo word; ', 'git push origin main')],
  ['16,242 × `env `, push (a chain of wrappers)', `${'env '.repeat(16242)}git push origin main`],
];

// Warm the monitor's code (a first call compiles the shell reader).
await post(bash('git push origin main'));
await post(editInput(repo));
console.log(`served PreToolUse, push guard on (load ${loadAverage()})`);
for (const [label, command] of SHAPES) {
  const runs = [];
  let worstOther = 0;
  for (let i = 0; i < 3; i++) {
    const long = post(bash(command));
    let done = false;
    long.then(() => {
      done = true;
    });
    // Another session's Edit, posted again and again while the long call is in flight.
    while (!done) {
      const other = await post(editInput(repo));
      worstOther = Math.max(worstOther, other.ms);
    }
    runs.push(await long);
  }
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  const decisions = [...new Set(runs.map((r) => r.decision))].join('/');
  console.log(
    `  ${label}`.padEnd(58),
    `${(command.length / 1024).toFixed(1)} KiB: ${fmt(times[1])} (max ${fmt(times[2])}) ${decisions};`,
    `another session's Edit meanwhile: max ${fmt(worstOther)}`,
  );
}
// Stopped and waited for before the folder goes: a monitor still writing its home would leave part of it behind.
monitor.kill('SIGTERM');
await new Promise((r) => monitor.once('exit', r));
