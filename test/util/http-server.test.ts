// The one request-body reader every HTTP server uses, on a real loopback server: a body within the cap is parsed, one
// over it (announced or only as it arrives) is refused without being kept, one that is not JSON gives the parser's
// line, and a client gone mid-body is told apart so no one answers it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedServer, readJsonBody, type JsonBody } from '../../src/util/http-server.js';
import { MAX_JSON_DEPTH } from '../../src/util/json-depth.js';

const CAP = 1024;
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A server that reads each body with `readJsonBody` and answers with what it read. */
async function start(): Promise<{ url: string; reads: JsonBody[]; arrived: () => number }> {
  const reads: JsonBody[] = [];
  let arrivals = 0;
  const server = createGuardedServer({ loopback: true }, (req, res) => {
    arrivals++;
    void readJsonBody(req, CAP).then((body) => {
      reads.push(body);
      if (body.kind === 'gone') return;
      const status = body.kind === 'json' ? 200 : body.kind === 'too-large' ? 413 : 400;
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 413 ? { connection: 'close' } : {}) });
      res.end(JSON.stringify(body));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, reads, arrived: () => arrivals };
}

/** A body sent in chunks with no Content-Length, so only its arrival can tell its size. */
function chunked(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const n = Math.min(256, size - sent);
      sent += n;
      controller.enqueue(new TextEncoder().encode('x'.repeat(n)));
    },
  });
}

describe('readJsonBody', () => {
  it('parses a body within the cap', async () => {
    const { url } = await start();
    const res = await fetch(url, { method: 'POST', body: JSON.stringify({ a: [1, 2] }) });
    expect([res.status, await res.json()]).toEqual([200, { kind: 'json', value: { a: [1, 2] } }]);
  });

  it('refuses a body whose Content-Length is over the cap, and the connection still answers', async () => {
    const { url } = await start();
    const res = await fetch(url, { method: 'POST', body: JSON.stringify({ a: 'x'.repeat(CAP) }) });
    expect([res.status, await res.json()]).toEqual([413, { kind: 'too-large' }]);
    const next = await fetch(url, { method: 'POST', body: '[]' });
    expect(next.status).toBe(200);
  });

  it('refuses on the announced Content-Length alone, before the body has arrived', async () => {
    const { url, reads } = await start();
    const { port } = new URL(url);
    // Only a few bytes of the announced size are sent and the request stays open: an answer can come from the header.
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': CAP * 8 } });
    req.on('error', () => undefined);
    const res = await new Promise<http.IncomingMessage>((resolve) => {
      req.once('response', resolve);
      req.write('{"a":');
    });
    res.resume();
    expect(res.statusCode).toBe(413);
    expect(reads).toEqual([{ kind: 'too-large' }]);
    req.destroy();
  });

  it('refuses a body that grows past the cap as it arrives, without announcing its size', async () => {
    const { url, reads } = await start();
    const res = await fetch(url, { method: 'POST', body: chunked(CAP * 8), duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(reads).toEqual([{ kind: 'too-large' }]);
    const next = await fetch(url, { method: 'POST', body: '[]' });
    expect(next.status).toBe(200);
  });

  it('refuses a body nested past the bound before parsing it, and the server still answers', async () => {
    const { url } = await start();
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    const res = await fetch(url, { method: 'POST', body: deep });
    expect([res.status, await res.json()]).toEqual([400, { kind: 'too-deep', maxDepth: MAX_JSON_DEPTH }]);
    // At the bound exactly, and brackets inside a string, are read as usual.
    const atBound = `${'['.repeat(MAX_JSON_DEPTH)}"${'['.repeat(100)}"${']'.repeat(MAX_JSON_DEPTH)}`;
    const ok = await fetch(url, { method: 'POST', body: atBound });
    expect(ok.status).toBe(200);
  });

  it('gives the parser’s own line for a body that is not JSON', async () => {
    const { url } = await start();
    const res = await fetch(url, { method: 'POST', body: '{not json' });
    const body = (await res.json()) as { kind: string; reason: string };
    expect([res.status, body.kind]).toEqual([400, 'not-json']);
    expect(body.reason).toMatch(/JSON/);
    expect(body.reason).not.toContain('\n');
  });

  it('tells a client that went away mid-body apart, so no answer is written', async () => {
    const { url, reads, arrived } = await start();
    const { port } = new URL(url);
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': '100' } });
    req.on('error', () => undefined);
    req.write('{"a":');
    await expect.poll(arrived).toBe(1);
    req.destroy();
    await expect.poll(() => reads).toEqual([{ kind: 'gone' }]);
  });
});
