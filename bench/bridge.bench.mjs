// The plugin's MCP server as Claude Code starts it for each session, with the session's own noise left out: the
// handshake (initialize, tools/list) and the first prompt's hook call (which tells the session its start), timed from
// the spawn, and the CPU of the server's processes. This build's server (hooks/mcp-bridge: perl where there is perl),
// node's bridge in its place (what it runs where there is none, and what the plugin ran before), and the server of the
// build committed at BENCH_PREVIOUS (default the newest tag), each joined to one running monitor of this build; bare
// `node -e 0` beside them. Interleaved; medians of BENCH_BRIDGE_RUNS (30) runs each.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  childrenCpu,
  committedBuild,
  fmt,
  freshEnv,
  node,
  previousRelease,
  root,
  shopProject,
  stats,
  taskhooksIn,
} from './lib.mjs';

const runs = Number(process.env.BENCH_BRIDGE_RUNS ?? 30);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-bridge-'));
const home = path.join(tmp, 'home');
const env = freshEnv({ HOME: home, TASKHOOKS_HOME: path.join(home, '.taskhooks'), TMPDIR: tmp });
const taskhooks = taskhooksIn(env);
const project = shopProject(path.join(tmp, 'shop'), env, taskhooks);
taskhooks(['monitor', 'start'], project);
process.on('exit', () => {
  taskhooks(['monitor', 'stop'], project);
  rmSync(tmp, { recursive: true, force: true });
});

/** A plugin folder's server command, as its manifest names it. */
function serverOf(pluginRoot) {
  const manifest = JSON.parse(readFileSync(path.join(pluginRoot, '.claude-plugin', 'plugin.json'), 'utf8'));
  const { command, args = [] } = manifest.mcpServers.taskhooks;
  const expand = (s) => s.replaceAll('${CLAUDE_PLUGIN_ROOT}', pluginRoot);
  return [expand(command), args.map(expand)];
}
const previous = process.env.BENCH_PREVIOUS ?? previousRelease();
const previousRoot = path.dirname(path.dirname(committedBuild(previous, path.join(tmp, 'previous'))));
const routes = [
  ['bare node (`node -e 0`), to its exit', [node, ['-e', '0']]],
  ["this build's server (`hooks/mcp-bridge`)", [path.join(root, 'hooks', 'mcp-bridge'), []]],
  ["node's bridge of this build (no perl)", [node, [path.join(root, 'dist', 'mcp-bridge.js')]]],
  [`the server of the build at ${previous}`, serverOf(previousRoot)],
];

const message = (id, method, params = {}) => `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;

/** One session's server: ms to initialize's answer, tools/list's and the first prompt's; CPU ms once reaped. */
async function session([command, args], n) {
  const cpuBefore = childrenCpu();
  const start = process.hrtime.bigint();
  const since = () => Number(process.hrtime.bigint() - start) / 1e6;
  const sessionId = `bench-${n}`;
  const child = spawn(command, args, {
    cwd: project,
    env: { ...env, CLAUDE_CODE_SESSION_ID: sessionId },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  if (args[0] === '-e') {
    await exited;
    const ms = since();
    return { times: [ms, ms, ms], cpu: childrenCpu() - cpuBefore };
  }
  const lines = [];
  let waiting;
  let buffered = '';
  child.stdout.on('data', (d) => {
    buffered += d;
    for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
      lines.push(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      waiting?.();
    }
  });
  const answer = async () => {
    while (lines.length === 0) await new Promise((resolve) => (waiting = resolve));
    return JSON.parse(lines.shift());
  };
  const times = [];
  child.stdin.write(
    message(1, 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'b', version: '0' },
    }),
  );
  await answer();
  times.push(since());
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  child.stdin.write(message(2, 'tools/list'));
  await answer();
  times.push(since());
  const prompt = { event: 'user-prompt-submit', session_id: sessionId, cwd: project, prompt: 'go on', prompt_id: 'p1' };
  child.stdin.write(
    message(3, 'tools/call', { name: 'hook', arguments: { ...prompt, hook_event_name: 'UserPromptSubmit' } }),
  );
  const told = await answer();
  times.push(since());
  if (!JSON.stringify(told).includes('Fix the checkout total'))
    throw new Error(`${command}: the first prompt was not told the tasks: ${JSON.stringify(told)}`);
  child.stdin.end();
  await exited;
  return { times, cpu: childrenCpu() - cpuBefore };
}

const samples = routes.map(() => ({ times: [[], [], []], cpu: [] }));
for (let i = 0; i < runs + 3; i++)
  for (const [k, [, spec]] of routes.entries()) {
    const { times, cpu } = await session(spec, `${i}-${k}`);
    if (i < 3) continue;
    for (const [j, ms] of times.entries()) samples[k].times[j].push(ms);
    samples[k].cpu.push(cpu);
  }

const load = os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
console.log(`${os.cpus().length} cores, load average ${load}; ${runs} runs each, medians (p25–p75); CPU: mean, reaped`);
console.log("| server | initialize answered | tools/list answered | first prompt's start told | CPU |");
console.log('|---|---|---|---|---|');
for (const [k, [label]] of routes.entries()) {
  const cells = samples[k].times.map((t) => {
    const s = stats(t);
    return `${fmt(s.p50)} (${fmt(s.p25)}–${fmt(s.p75)})`;
  });
  console.log(`| ${label} | ${cells.join(' | ')} | ${fmt(stats(samples[k].cpu).mean)} |`);
}
