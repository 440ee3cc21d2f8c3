// The dashboard as the monitor mounts it: its routes, page rendering and board code load at the first request for a
// dashboard path, so a monitor whose page nobody opens never holds them (what a long-lived process loads stays
// resident for good).
import type http from 'node:http';
import type { Logger } from '../log/logger.js';

/** The dashboard as a mount on the monitor's server. */
export interface Dashboard {
  /** Answers a request whose path starts with /dashboard; false for any other path. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  close(): void;
}

/** Whether a request path is the dashboard's: `/dashboard` and everything under it. */
export function isDashboardPath(pathname: string): boolean {
  return pathname === '/dashboard' || pathname.startsWith('/dashboard/');
}

/** A dashboard that loads with `load` at its first request, and answers 500 with the reason if that load fails. */
export function loadedOnFirstRequest(load: () => Promise<Dashboard>, log: Logger): Dashboard {
  let loading: Promise<Dashboard> | undefined;
  return {
    handle(req: http.IncomingMessage, res: http.ServerResponse) {
      if (!isDashboardPath(new URL(req.url ?? '/', 'http://localhost').pathname)) return false;
      loading ??= load();
      loading.then(
        (dashboard) => dashboard.handle(req, res),
        (err: unknown) => {
          loading = undefined; // the next request tries again
          log.error({ err }, 'the dashboard could not load');
          const body = `The dashboard could not load: ${(err as Error).message}\n`;
          res.writeHead(500, {
            'content-type': 'text/plain; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        },
      );
      return true;
    },
    close() {
      loading?.then(
        (dashboard) => dashboard.close(),
        () => undefined, // its failure was logged where it happened
      );
    },
  };
}
