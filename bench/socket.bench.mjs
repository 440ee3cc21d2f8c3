// SessionStart handed to the monitor over its Unix socket, as the command install writes runs it (a shell, its input read
// once, the socket client, the node hook only when that fails): with perl's client (hooks/socket-post.pl, this build)
// and with curl in its place (the build before), against a shell that only reads its input, which is what any command
// hook costs an agent. Beside them, the plugin's exec-form SessionStart (no shell: a node entry that asks the monitor
// itself) of this build and of the build committed at BENCH_PREVIOUS (default the newest tag), and bare `node -e 0`.
// A server on the socket answers every request `{}` at once, so only the client's cost differs.
// Interleaved; medians of BENCH_SOCKET_RUNS (40) runs each.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  committedBuild,
  emptyAnswers,
  fmt,
  freshEnv,
  makeRepo,
  node,
  previousRelease,
  root,
  stats,
  taskhooksIn,
} from './lib.mjs';

const runs = Number(process.env.BENCH_SOCKET_RUNS ?? 40);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-socket-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const server = await emptyAnswers(path.join(tmp, 'monitor.sock'));
const env = { ...process.env, TASKHOOKS_HOME: tmp };
// The SessionStart command `taskhooks install` writes, made in a home of its own (whose monitor is stopped at once),
// pointed at this bench's socket.
const installHome = path.join(tmp, 'install-home');
const project = makeRepo(path.join(tmp, 'project'));
const taskhooks = taskhooksIn(freshEnv({ HOME: installHome, TASKHOOKS_HOME: installHome }));
taskhooks(['install'], project);
taskhooks(['monitor', 'stop'], project);
const settings = JSON.parse(readFileSync(path.join(project, '.claude/settings.local.json'), 'utf8'));
const perl = settings.hooks.SessionStart[0].hooks[0].command.replaceAll(
  path.join(installHome, 'monitor.sock'),
  path.join(tmp, 'monitor.sock'),
);
const input = JSON.stringify({ session_id: 'bench', cwd: tmp, hook_event_name: 'SessionStart', source: 'startup' });
// The build before: the same command with curl where the client is.
const curl = perl.replace(
  /perl \S+ ([0-9.]+) (\S+) (\S+) "\$PPID" 2>\/dev\/null/,
  `curl -sf --max-time $1 --unix-socket $2 -H 'content-type: application/json' -H "x-taskhooks-agent-pid: $PPID" --data-binary @- http://localhost/hooks/$3 2>/dev/null`,
);
if (curl === perl) throw new Error(`hooks/hooks.json's SessionStart has no socket client to swap: ${perl}`);
const previous = process.env.BENCH_PREVIOUS ?? previousRelease();
const previousRoot = path.dirname(path.dirname(committedBuild(previous, path.join(tmp, 'previous'))));
// The plugin's exec form as Claude Code runs it, without a shell: quoted here only because this bench runs sh.
const execForm = (pluginRoot) => `exec '${node}' '${pluginRoot}/dist/hooks/session-start.js' --ask-monitor`;
const routes = [
  ['a shell that only reads its input', 'cat >/dev/null'],
  ['handed over the socket by curl (the build before)', curl],
  ['handed over the socket by perl (this build)', perl],
  ['bare node (`node -e 0`)', `cat >/dev/null; exec '${node}' -e 0`],
  [`the plugin's exec-form node entry (${previous})`, execForm(previousRoot)],
  ["the plugin's exec-form node entry (this build)", execForm(path.join(root, 'plugin'))],
];
const printsNothing = new Set([routes[0][1], routes[3][1]]);

/** One run of `command` under sh with the hook input: its wall time; it must print the server's `{}`. */
function timed(command) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('sh', ['-c', command], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0 || (!printsNothing.has(command) && out !== '{}'))
        reject(new Error(`${command} gave ${code}: ${out}`));
      else resolve(ms);
    });
    child.stdin.end(input);
  });
}

const samples = routes.map(() => []);
for (let i = 0; i < runs + 3; i++)
  for (const [k, [, command]] of routes.entries()) {
    const ms = await timed(command);
    if (i >= 3) samples[k].push(ms);
  }
server.close();

const load = os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
console.log(`${os.cpus().length} cores, load average ${load}; ${runs} runs each`);
console.log('| route | median | p25–p75 | more than the shell alone |');
console.log('|---|---|---|---|');
const base = stats(samples[0]).p50;
for (const [k, [label]] of routes.entries()) {
  const s = stats(samples[k]);
  const more = k === 0 ? '' : `+${fmt(s.p50 - base)}`;
  console.log(`| ${label} | ${fmt(s.p50)} | ${fmt(s.p25)}–${fmt(s.p75)} | ${more} |`);
}
