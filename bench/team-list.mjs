// `manage_task list` throughput of the team server (part 2 of team.bench.mjs): TASKS tasks, 32 and 128 concurrent
// clients spread over a build's two `serve` processes; calls/s, p95, and the CPU per call of the serve processes,
// PostgreSQL and the clients. Given two builds (BENCH_PREVIOUS), they take turns: each round measures every client
// count on both, the order flipping from round to round, so the machine's load falls on both alike; a build's line
// pools its rounds, and the spread of its rounds' calls/s is beside it.
import http from 'node:http';
import { fmt, loadAverage, stats } from './lib.mjs';

const CLIENT_COUNTS = [32, 128];
const LIST_MS = 5000;
/** Untimed calls per build before its first round, so neither build's first round pays for its JIT. */
const WARMUP_MS = 1500;

/**
 * The clients share the machine with the servers and PostgreSQL, so they are as light as an honest client can be:
 * node:http with kept-alive connections (fetch costs the client 2-3 times the CPU), the SDK's own framing (the same
 * POST, headers and JSON-RPC body), and the answer parsed as a client reads it.
 */
function lister(token) {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'manage_task', arguments: { action: 'list', project_id: 'bench', limit: 50 } },
  });
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    Authorization: `Bearer ${token}`,
    'Content-Length': Buffer.byteLength(body),
  };
  return (url, agent) =>
    new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => {
          try {
            if (res.statusCode !== 200) throw new Error(`manage_task list: HTTP ${res.statusCode}`);
            resolve(JSON.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')).result.content[0].text));
          } catch (err) {
            reject(err);
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
}

/**
 * `clients` callers on `build`'s two processes for `ms`: every call's latency, the failures and the wall seconds. Each
 * run has connections of its own: a socket left idle while the other build ran meets the server's keep-alive timeout.
 */
async function load(list, build, clients, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies = [];
  let failures = 0;
  let firstFailure;
  const fail = (why) => {
    failures++;
    firstFailure ??= why;
  };
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const url = c % 2 ? build.a.url : build.b.url;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const r = await list(url, agent);
          if (!r.success) fail(JSON.stringify(r).slice(0, 200));
        } catch (err) {
          fail(String(err));
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  agent.destroy();
  return { latencies, failures, firstFailure, secs: (performance.now() - started) / 1000 };
}

/** One timed run, with the CPU ms each party spent in it. */
async function measure(list, build, clients, cpu) {
  const pgBefore = cpu.pgSample();
  const serveBefore = cpu.ticks(build.a.child.pid) + cpu.ticks(build.b.child.pid);
  const clientBefore = process.cpuUsage();
  const run = await load(list, build, clients, LIST_MS);
  const client = process.cpuUsage(clientBefore);
  return {
    ...run,
    serveMs: (cpu.ticks(build.a.child.pid) + cpu.ticks(build.b.child.pid) - serveBefore) * cpu.tickMs,
    pgMs: cpu.pgTicksSince(pgBefore) * cpu.tickMs,
    clientMs: (client.user + client.system) / 1000,
  };
}

/** A build's runs at one client count pooled: the line it prints and the figures the comparison reads. */
function pooled(runs) {
  const latencies = runs.flatMap((r) => r.latencies);
  const n = latencies.length;
  const sum = (key) => runs.reduce((s, r) => s + r[key], 0);
  const rates = runs.map((r) => r.latencies.length / r.secs);
  const s = stats(latencies);
  const why = runs.find((r) => r.firstFailure)?.firstFailure;
  const perCall = (ms) => `${(ms / n).toFixed(2)} ms`;
  const spread = runs.length > 1 ? ` (rounds ${Math.round(Math.min(...rates))}–${Math.round(Math.max(...rates))})` : '';
  return {
    rate: n / sum('secs'),
    serve: sum('serveMs') / n,
    line: `${Math.round(n / sum('secs'))} calls/s${spread}, p50 ${fmt(s.p50)}, p95 ${fmt(s.p95)}, failures ${sum('failures')}${why ? ` (first: ${why})` : ''}; CPU per call: serve ${perCall(sum('serveMs'))}, PostgreSQL ${perCall(sum('pgMs'))}, clients ${perCall(sum('clientMs'))}`,
  };
}

/**
 * Measures `builds` ({ name, a, b }: a build's two serve processes, each { child, url }, every build's database holding
 * the same `tasks`) for `rounds` rounds, and prints a line per build and client count, then each build's ratio to the
 * first. `cpu` reads CPU ticks: { ticks(pid), tickMs, pgSample(), pgTicksSince(sample) }; `keepAlive` before each run.
 */
export async function listThroughput({ builds, token, tasks, rounds, cpu, keepAlive }) {
  const list = lister(token);
  const runs = new Map(builds.flatMap((b) => CLIENT_COUNTS.map((c) => [`${b.name} ${c}`, []])));
  console.log(`load average before: ${loadAverage()}`);
  for (const build of builds) await load(list, build, CLIENT_COUNTS[0], WARMUP_MS);
  for (let round = 0; round < rounds; round++)
    for (const clients of CLIENT_COUNTS)
      for (const build of round % 2 ? [...builds].reverse() : builds) {
        keepAlive();
        runs.get(`${build.name} ${clients}`).push(await measure(list, build, clients, cpu));
      }
  const label = builds.length > 1 ? (b) => ` [${b.name}]` : () => '';
  for (const clients of CLIENT_COUNTS) {
    const [first, ...others] = builds.map((b) => ({ b, p: pooled(runs.get(`${b.name} ${clients}`)) }));
    for (const { b, p } of [first, ...others])
      console.log(
        `manage_task list over ${tasks} tasks, ${clients} clients over 2 serve processes${label(b)}: ${p.line}`,
      );
    for (const { b, p } of others)
      console.log(
        `  ${first.b.name} against ${b.name}, ${clients} clients: calls/s ${(first.p.rate / p.rate).toFixed(2)}×, serve CPU per call ${(first.p.serve / p.serve).toFixed(2)}×`,
      );
  }
  console.log(`load average after: ${loadAverage()} (${rounds} round${rounds > 1 ? 's' : ''} of ${LIST_MS / 1000} s)`);
}
