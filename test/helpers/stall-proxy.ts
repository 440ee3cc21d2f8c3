// A loopback HTTP proxy that holds every exchange for a while: the request before it reaches the server, and the
// answer before it reaches the client. Put in front of the monitor's store server, it is a store server that answers
// past the CLI's hand-off, after the write landed.
import { createServer, request, type Server } from 'node:http';

export interface StallProxy {
  url: string;
  /** Exchanges relayed so far. */
  relayed(): number;
  close(): Promise<void>;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Relays to `target` (an origin and path prefix), holding each request `beforeMs` and each answer `afterMs`. */
export async function startStallProxy(target: string, beforeMs: number, afterMs: number): Promise<StallProxy> {
  const to = new URL(target);
  let relayed = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        await pause(beforeMs);
        const upstream = request(
          { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            const body: Buffer[] = [];
            answer.on('data', (c: Buffer) => body.push(c));
            answer.on('end', () => {
              void pause(afterMs).then(() => {
                relayed++;
                if (res.destroyed) return;
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                res.end(Buffer.concat(body));
              });
            });
          },
        );
        upstream.on('error', () => {
          if (!res.destroyed) res.writeHead(502).end();
        });
        upstream.end(Buffer.concat(chunks));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${to.pathname}`,
    relayed: () => relayed,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
