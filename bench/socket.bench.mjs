// A hook handed to the monitor over its Unix socket, as the command install writes runs it (a shell, its input read
// once, the socket client, the node hook only when that fails): with perl's client (hooks/socket-post.pl, this build)
// and with curl in its place (the build before), against a shell that only reads its input, which is what any command
// hook costs an agent. A server on the socket answers every request `{}` at once, so only the client's cost differs.
// Interleaved; medians of BENCH_SOCKET_RUNS (40) runs each.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyAnswers, fmt, root, stats } from './lib.mjs';

const runs = Number(process.env.BENCH_SOCKET_RUNS ?? 40);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-socket-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const server = await emptyAnswers(path.join(tmp, 'monitor.sock'));
// The plugin's SessionStart command (hooks/hooks.json, the same one install writes), its state directory this one.
const env = { ...process.env, TASKHOOKS_HOME: tmp, CLAUDE_PLUGIN_ROOT: root };
const hooks = JSON.parse(readFileSync(path.join(root, 'hooks/hooks.json'), 'utf8')).hooks;
const perl = hooks.SessionStart[0].hooks[0].command;
const input = JSON.stringify({ session_id: 'bench', cwd: tmp, hook_event_name: 'SessionStart', source: 'startup' });
// The build before: the same command with curl where the client is.
const curl = perl.replace(
  /perl \S+ ([0-9.]+) (\S+) (\S+) "\$PPID" 2>\/dev\/null/,
  `curl -sf --max-time $1 --unix-socket $2 -H 'content-type: application/json' -H "x-taskhooks-agent-pid: $PPID" --data-binary @- http://localhost/hooks/$3 2>/dev/null`,
);
if (curl === perl) throw new Error(`hooks/hooks.json's SessionStart has no socket client to swap: ${perl}`);
const routes = [
  ['a shell that only reads its input', 'cat >/dev/null'],
  ['handed over the socket by curl (the build before)', curl],
  ['handed over the socket by perl (this build)', perl],
];

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
      if (code !== 0 || (command !== routes[0][1] && out !== '{}'))
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
