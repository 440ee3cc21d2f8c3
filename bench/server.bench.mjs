// Reference server throughput: `manage_task list` over 1,000 tasks from 32 concurrent SDK clients for 10 s,
// against `taskhooks serve` as a child process. Prints calls/s and p50/p95/p99 (goal from the task-tracking story:
// p95 < 500 ms). Stops by itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { benchTasks, fmt, node, root, serveUrl, stats } from './lib.mjs';

const TASKS = 1000;
const CLIENTS = 32;
const DURATION_MS = 10_000;
const TOKEN = 'bench-server-token-0123456789-abcdefgh';

const home = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-bench-server-'));
const child = spawn(
  node,
  [path.join(root, 'dist/cli.js'), 'serve', '--port', '0', '--token', TOKEN, '--rate-limit', '1000000'],
  {
    env: { ...process.env, TASKHOOKS_HOME: home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
// Whatever happens below, the server goes away and the bench ends.
const killer = setTimeout(() => {
  console.error('server bench: overall time limit reached');
  child.kill('SIGKILL');
  process.exit(1);
}, DURATION_MS + 60_000);

try {
  const url = await serveUrl(child);

  const connect = async () => {
    const client = new Client({ name: 'bench', version: '0.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      }),
    );
    return client;
  };

  const seeder = await connect();
  for (let i = 0; i < TASKS; i += 100) {
    await seeder.callTool({ name: 'add_task', arguments: { tasks: benchTasks(i, 100, { labels: ['bench'] }) } });
  }
  await seeder.close();

  const clients = await Promise.all(Array.from({ length: CLIENTS }, connect));
  const latencies = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + DURATION_MS;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const r = await client.callTool({ name: 'manage_task', arguments: { action: 'list', limit: 50 } });
          if (r.isError || !JSON.parse(r.content[0].text).success) failures++;
        } catch {
          failures++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close()));

  const s = stats(latencies);
  console.log(
    `manage_task list over ${TASKS} tasks, ${CLIENTS} concurrent clients, ${elapsedS.toFixed(1)} s (server: node dist/cli.js serve)`,
  );
  console.log(`  calls/s ${(s.n / elapsedS).toFixed(0)}   calls ${s.n}   failures ${failures}`);
  console.log(`  latency p50 ${fmt(s.p50)}   p95 ${fmt(s.p95)}   p99 ${fmt(s.p99)}   mean ${fmt(s.mean)}`);
  console.log(`  p95 goal < 500 ms: ${s.p95 < 500 ? 'met' : 'NOT met'} (p95 is ${(s.p95 / 500).toFixed(2)}× the goal)`);
  process.exitCode = failures > 0 ? 1 : 0;
} finally {
  clearTimeout(killer);
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  rmSync(home, { recursive: true, force: true });
}
