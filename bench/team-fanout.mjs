// The team server's fan-out, measured with many light subscribers instead of real monitor processes: each is an MCP
// resource subscription over server-sent events at /mcp/live and its own copy of the project's tasks (a monitor's
// snapshot), patched as a monitor patches it: from the delta the notification carries when it covers the copy, else
// by the `list since` its sequence. Called at the end of
// team.bench.mjs with its two `serve` processes on PostgreSQL:
//   (a) SUBSCRIBERS monitors spread over both processes, CHANGES_PER_S changes a second for CHANGE_S seconds: how long
//       after each change every copy shows it (p50, p95, max), bytes per change per monitor, CPU of serve and of
//       PostgreSQL per change, and whether every copy equals the database at the end;
//   (b) both processes restarted under them: the monitors resubscribe with full jitter (as src/monitor/refresh/push.ts) and
//       catch up with one `since` each; the peak requests a second and the time until all are back.
// BENCH_QUICK=1 runs 10 s of changes; BENCH_SUBSCRIBERS sets the count. Loopback only, every loop bounded, and each
// part under its own time limit.
import { spawn } from 'node:child_process';
import { fmt, node, serveUrl, stats } from './lib.mjs';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const CHANGE_S = process.env.BENCH_QUICK ? 10 : 60;
const CHANGES_PER_S = 5;
const SEED_TASKS = 100;
const SEQUENCE_META = 'taskhooks/sequence';
const CHANGES_META = 'taskhooks/changes';
const PROJECT = 'fanout';
/** As src/monitor/refresh/push.ts: the first retry within 0.5 s, doubling to at most 30 s. */
const RETRY_BASE_MS = 500;
const RETRY_CAP_MS = 30_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fullJitterMs = (attempt) => Math.floor(Math.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt));

/** Every request the subscribers make, counted per second since `epoch` (the restart part reads the peak). */
function requestMeter() {
  const perSecond = new Map();
  let epoch = performance.now();
  return {
    count() {
      const s = Math.floor((performance.now() - epoch) / 1000);
      perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
    },
    reset() {
      perSecond.clear();
      epoch = performance.now();
    },
    peak: () => Math.max(0, ...perSecond.values()),
    total: () => [...perSecond.values()].reduce((a, b) => a + b, 0),
  };
}

/**
 * Requests sent again because the connection was cut under them (a kept-alive one closed as it was reused, or evicted
 * as the idlest when a process reached its connection cap): what a client does, counted and reported.
 */
const resent = { count: 0 };
const CUT = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

async function post(url, token, body) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          Authorization: `Bearer ${token}`,
        },
        body,
      });
    } catch (err) {
      if (attempt >= 3 || !CUT.has(err?.cause?.code)) throw err;
      resent.count++;
    }
  }
}

/** One tool call over the stateless endpoint; its answer and the bytes that crossed the wire both ways. */
async function toolCall(url, token, meter, name, args) {
  meter?.count();
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
  const res = await post(url, token, body);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
  const answer = JSON.parse(JSON.parse(text).result.content[0].text);
  return { answer, bytes: body.length + text.length };
}

/**
 * A live connection to `/mcp/live` spoken over plain fetch: initialize, the event stream, then requests. The bench's
 * thousand subscribers share one process, so each reads its stream with a bare SSE parser and JSON.parse, not a full
 * SDK client (which checks every message against the protocol's schemas): what is measured is the server's fan-out,
 * not the subscribers' parsing. `ended` settles when the stream closes or breaks.
 */
async function liveConnection(url, token, meter, onMessage) {
  const abort = new AbortController();
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    Authorization: `Bearer ${token}`,
  };
  let id = 0;
  const rpc = async (method, params, notification = false) => {
    meter.count();
    const body = { jsonrpc: '2.0', method, params, ...(notification ? {} : { id: ++id }) };
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: abort.signal });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${text}`);
    if (notification) return { res };
    const answer = JSON.parse(text);
    if (answer.error) throw new Error(`${method}: ${answer.error.message}`);
    return { res, result: answer.result };
  };
  const init = await rpc('initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'bench-light-monitor', version: '0' },
  });
  headers['Mcp-Session-Id'] = init.res.headers.get('mcp-session-id');
  headers['Mcp-Protocol-Version'] = init.result.protocolVersion;
  await rpc('notifications/initialized', {}, true);
  meter.count();
  const stream = await fetch(url, {
    method: 'GET',
    headers: { ...headers, Accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (stream.status !== 200) {
    abort.abort();
    throw new Error(`event stream: HTTP ${stream.status}`);
  }
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of stream.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const event = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = event
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trimStart())
            .join('\n');
          if (data) onMessage(JSON.parse(data), event.length + 2);
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // A stream cut (the server went away, or closed here) ends the connection either way.
    }
    connection.done = true;
  })();
  const connection = {
    done: false,
    request: async (method, params) => (await rpc(method, params)).result,
    ended,
    close: () => abort.abort(),
  };
  return connection;
}

/** A light monitor: one subscription, its copy of the project's tasks (id → updated_at) and the sequence it is at. */
function lightMonitor(url, token, meter, counters) {
  // `waiting`: the changes made and not yet shown, in order, each told when this copy shows it.
  const m = { url, tasks: new Map(), sequence: -1, waiting: [], client: undefined, failures: 0, closed: false };
  let fetching;
  let again = false;
  const since = async () => {
    const { answer, bytes } = await toolCall(url, token, meter, 'manage_task', {
      action: 'list',
      project_id: PROJECT,
      since: m.sequence,
    });
    counters.bytes += bytes;
    if (answer.data.full !== false) throw new Error(`a whole list where a delta was expected: ${answer.data.why}`);
    counters.deltas++;
    // A notification applied while this call was out may have moved the copy further on already.
    if (answer.data.sequence > m.sequence) patch(answer.data);
  };
  const patch = ({ tasks, deleted_task_ids, sequence }) => {
    for (const t of tasks) m.tasks.set(t.id, t.updated_at);
    for (const id of deleted_task_ids) m.tasks.delete(id);
    m.sequence = sequence;
    while (m.waiting.length > 0 && m.waiting[0].sequence <= m.sequence) m.waiting.shift().shown(performance.now());
  };
  const catchUp = () => {
    if (fetching) {
      again = true;
      return fetching;
    }
    fetching = (async () => {
      do {
        again = false;
        await since().catch(async () => {
          counters.failedDeltas++;
          await sleep(fullJitterMs(1));
          // Tried again while subscribed; a dropped subscription catches up when it is back.
          again = !m.closed && m.client !== undefined;
        });
      } while (again);
      fetching = undefined;
    })();
    return fetching;
  };
  const onNotification = (n) => {
    if (n.method !== 'notifications/resources/updated') return;
    const s = n.params._meta?.[SEQUENCE_META];
    // As the monitor does (src/network/pushed.ts): a copy the carried delta covers is patched from it, no call.
    const carried = n.params._meta?.[CHANGES_META];
    if (carried && carried.since <= m.sequence && m.sequence <= carried.sequence) {
      counters.carried++;
      if (carried.sequence > m.sequence) patch(carried);
      return;
    }
    if (typeof s !== 'number' || s > m.sequence) void catchUp();
  };
  const subscribe = async () => {
    const connection = await liveConnection(`${url}/live`, token, meter, (n, bytes) => {
      counters.notificationBytes += bytes;
      onNotification(n);
    });
    connection.ended.then(() => {
      if (m.client !== connection || m.closed) return;
      m.client = undefined;
      retryLater();
    });
    try {
      await connection.request('resources/subscribe', { uri: `taskhooks://projects/${PROJECT}/tasks` });
      if (connection.done) throw new Error('the event stream ended while subscribing');
    } catch (err) {
      connection.close();
      throw err;
    }
    m.client = connection;
    m.failures = 0;
  };
  const retryLater = () => {
    setTimeout(
      async () => {
        if (m.closed) return;
        try {
          await subscribe();
          counters.resubscribed++;
          await catchUp();
          m.backAt?.();
        } catch {
          retryLater();
        }
      },
      fullJitterMs(m.failures++),
    ).unref();
  };
  m.start = async () => {
    const { answer, bytes } = await toolCall(url, token, undefined, 'manage_task', {
      action: 'list',
      project_id: PROJECT,
      limit: 100,
    });
    counters.initialBytes += bytes;
    for (const t of answer.data.tasks) m.tasks.set(t.id, t.updated_at);
    m.sequence = answer.data.sequence;
    // As a monitor does: a subscription refused or cut while many start is tried again after a jittered wait.
    for (let attempt = 0; ; attempt++) {
      try {
        await subscribe();
        return;
      } catch (err) {
        counters.refused++;
        if (attempt >= 8) throw err;
        await sleep(fullJitterMs(attempt));
      }
    }
  };
  m.catchUp = catchUp;
  m.close = async () => {
    m.closed = true;
    m.client?.close();
  };
  return m;
}

/** The database's view of the project: id → updated_at, and the sequence it was read at. */
async function truth(url, token) {
  const tasks = new Map();
  let sequence;
  for (let offset = 0; offset < 10_000; offset += 100) {
    const { answer } = await toolCall(url, token, undefined, 'manage_task', {
      action: 'list',
      project_id: PROJECT,
      limit: 100,
      offset,
    });
    sequence ??= answer.data.sequence;
    for (const t of answer.data.tasks) tasks.set(t.id, t.updated_at);
    if (!answer.data.pagination.has_more) break;
  }
  return { tasks, sequence };
}

const sameTasks = (a, b) => a.size === b.size && [...a].every(([id, at]) => b.get(id) === at);

async function withinTime(what, ms, fn) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`team bench: ${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([fn(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Subscribes `count` light monitors over both processes, a few at a time. */
async function subscribeAll(urls, token, meter, counters, count) {
  const monitors = Array.from({ length: count }, (_, i) => lightMonitor(urls[i % 2], token, meter, counters));
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < monitors.length) await monitors[next++].start();
    }),
  );
  return monitors;
}

/** One random change through either process: a new task, an edit, or a deletion. */
async function change(urls, token, i, ids) {
  const url = urls[i % 2];
  const r = i % 5;
  if (ids.length < 10 || r < 2) {
    const { answer } = await toolCall(url, token, undefined, 'manage_task', {
      action: 'create',
      project_id: PROJECT,
      title: `Fan-out change ${i}`,
    });
    ids.push(answer.data.task.id);
  } else if (r < 4) {
    const id = ids[(i * 7) % ids.length];
    await toolCall(url, token, undefined, 'manage_task', { action: 'update', task_id: id, title: `Edited ${i}` });
  } else {
    const [id] = ids.splice((i * 3) % ids.length, 1);
    await toolCall(url, token, undefined, 'manage_task', { action: 'delete', task_id: id });
  }
  const { answer } = await toolCall(url, token, undefined, 'manage_task', {
    action: 'list',
    project_id: PROJECT,
    limit: 1,
  });
  return answer.data.sequence;
}

/**
 * (a) and (b). `ctx`: `a`, `b` (the serve processes: {child, url}), `databaseArgs` (serve's --database and
 * --listen-database, to restart them alike), `serverHome`, `token`, `children` (for
 * the caller's cleanup), `cli`, `cpu()` → {serve, pg} ticks, `tickMs`, `keepAlive()` (restarts the caller's overall timer: each part keeps its own bound).
 */
export async function teamFanout(ctx) {
  const { token } = ctx;
  let urls = [ctx.a.url, ctx.b.url];
  const seeded = await toolCall(urls[0], token, undefined, 'manage_project', { action: 'create', name: PROJECT });
  if (!seeded.answer.success) throw new Error(`team bench: cannot create ${PROJECT}`);
  const ids = [];
  const tasks = Array.from({ length: SEED_TASKS }, (_, k) => ({ project_id: PROJECT, title: `Seed ${k}` }));
  await toolCall(urls[0], token, undefined, 'add_task', { tasks });
  for (const t of (await truth(urls[0], token)).tasks.keys()) ids.push(t);

  const meter = requestMeter();
  const counters = {
    bytes: 0,
    notificationBytes: 0,
    initialBytes: 0,
    deltas: 0,
    carried: 0,
    failedDeltas: 0,
    resubscribed: 0,
    refused: 0,
  };
  ctx.keepAlive();
  const t0 = performance.now();
  const monitors = await withinTime('subscribing', 600_000, () =>
    subscribeAll(urls, token, meter, counters, SUBSCRIBERS),
  );
  console.log(
    `${SUBSCRIBERS} light monitors subscribed over 2 serve processes in ${fmt(performance.now() - t0)}, ${counters.refused} attempts tried again (first list ${Math.round(counters.initialBytes / SUBSCRIBERS)} bytes each)`,
  );

  // --- (a) changes fanned out ---------------------------------------------------------------------------------------
  ctx.keepAlive();
  Object.assign(counters, { bytes: 0, notificationBytes: 0, deltas: 0, carried: 0 });
  const lags = [];
  let late = 0;
  const cpu0 = ctx.cpu();
  const own0 = process.cpuUsage();
  const changes = CHANGE_S * CHANGES_PER_S;
  let writing = 0;
  let made = 0;
  await (async () => {
    const start = performance.now();
    // Bounded: a server that cannot keep up slows the writes down; past the budget the rest are not made.
    const budget = start + (CHANGE_S + 120) * 1000;
    for (let i = 0; i < changes && performance.now() < budget; i++, made++) {
      ctx.keepAlive();
      const wait = start + i * (1000 / CHANGES_PER_S) - performance.now();
      if (wait > 0) await sleep(wait);
      const done = performance.now();
      const sequence = await change(urls, token, i, ids);
      // Each copy's time to show this change, from the moment the write returned.
      const shown = (at) => {
        lags.push(at - done);
        if (at - done > 1000) late++;
      };
      for (const m of monitors) {
        if (m.sequence >= sequence) shown(performance.now());
        else m.waiting.push({ sequence, shown });
      }
    }
    writing = performance.now() - start;
    // Bounded: a copy still behind a minute after the last change is counted as such, not waited for.
    const end = performance.now() + 60_000;
    while (monitors.some((m) => m.waiting.length > 0) && performance.now() < end) {
      ctx.keepAlive();
      await sleep(50);
    }
  })();
  const behind = monitors.filter((m) => m.waiting.length > 0).length;
  const cpu1 = ctx.cpu();
  const own = process.cpuUsage(own0);
  const db = await truth(urls[0], token);
  const equal = monitors.filter((m) => sameTasks(m.tasks, db.tasks)).length;
  const l = stats(lags);
  const perChange = (ticks) => fmt((ticks * ctx.tickMs) / made);
  console.log(
    `(a) ${made} of ${changes} changes at ${CHANGES_PER_S}/s (made in ${fmt(writing)}) to ${SUBSCRIBERS} monitors: lag p50 ${fmt(l.p50)}, p95 ${fmt(l.p95)}, max ${fmt(l.max)}; over 1 s ${late} of ${lags.length}; copies equal to the database ${equal}/${SUBSCRIBERS} (${behind} still behind a minute after the last change)`,
  );
  console.log(
    `    per change per monitor: ${Math.round((counters.bytes + counters.notificationBytes) / (made * SUBSCRIBERS))} bytes (since call ${Math.round(counters.bytes / (made * SUBSCRIBERS))}, notification ${Math.round(counters.notificationBytes / (made * SUBSCRIBERS))}); ${counters.carried} notifications applied from what they carried, ${counters.deltas} since calls (${(counters.deltas / made).toFixed(0)} per change), ${counters.failedDeltas} failed, ${resent.count} requests sent again on a cut connection; CPU per change: both serve ${perChange(cpu1.serve - cpu0.serve)}, PostgreSQL ${perChange(cpu1.pg - cpu0.pg)}, the ${SUBSCRIBERS} subscribers (this process) ${fmt((own.user + own.system) / 1000 / made)}`,
  );

  // --- (b) restart under the subscribers ----------------------------------------------------------------------------
  ctx.keepAlive();
  const ports = urls.map((u) => new URL(u).port);
  await Promise.all([ctx.a, ctx.b].map((s) => new Promise((r) => s.child.once('exit', r).kill('SIGTERM'))));
  meter.reset();
  counters.deltas = 0;
  counters.resubscribed = 0;
  const downAt = performance.now();
  let back = 0;
  let allBackAt = 0;
  const allBack = new Promise((resolve) => {
    for (const m of monitors)
      m.backAt = () => {
        m.backAt = undefined;
        if (++back === monitors.length) {
          allBackAt = performance.now();
          resolve();
        }
      };
  });
  const restarted = await Promise.all(
    ports.map(async (port) => {
      const child = spawn(
        node,
        [ctx.cli, 'serve', '--port', port, ...ctx.databaseArgs, '--token', token, '--rate-limit', '1000000'],
        {
          env: { ...process.env, TASKHOOKS_HOME: ctx.serverHome, NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      ctx.children.push(child);
      return { child, url: await serveUrl(child) };
    }),
  );
  const upAt = performance.now();
  urls = restarted.map((s) => s.url);
  ctx.keepAlive();
  await Promise.race([allBack, new Promise((r) => setTimeout(r, 200_000).unref())]);
  if (back < monitors.length) allBackAt = Number.NaN;
  console.log(
    `(b) both serve processes restarted under ${SUBSCRIBERS} monitors (down ${fmt(upAt - downAt)}): ${back}/${SUBSCRIBERS} resubscribed and caught up, all ${fmt(allBackAt - upAt)} after serve was back; peak ${meter.peak()} requests/s from the monitors (${meter.total()} in all: subscriptions and ${counters.deltas} since calls, no whole list)`,
  );
  await Promise.all(monitors.map((m) => m.close()));
  return restarted;
}
