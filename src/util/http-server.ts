// Options for a long-lived HTTP server that only processes on this machine reach (the monitor's served hooks, the
// embedded task server).
import type { ServerOptions } from 'node:http';

/**
 * Node sweeps a server's connections for requests past headersTimeout/requestTimeout on an interval, 30 s by default,
 * even while no connection is open; 0 does not turn it off (it becomes a 1 ms interval). Sweeping every 5 min keeps an
 * idle process idle; the cost is that a stalled local client holds its socket a few minutes longer.
 */
export const LOOPBACK_SERVER_OPTIONS: ServerOptions = { connectionsCheckingInterval: 5 * 60_000 };
