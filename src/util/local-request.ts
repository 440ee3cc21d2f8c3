// A server bound to loopback is still reachable from any web page the user opens: the browser connects to
// 127.0.0.1, and DNS rebinding makes an attacker's name resolve there. Such a request gives itself away by its Host
// (the attacker's name) or its Origin (the attacker's page). The MCP SDK's own option for this is deprecated in favour
// of checks in front of the transport, and the served hooks do not use the SDK at all: both servers use this one.
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether `host` (a hostname, an address to bind, or a Host header's name without its port) names this machine's
 * loopback: localhost, ::1 with or without brackets, or any address of 127.0.0.0/8, all of which Linux answers on.
 */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The hostname of a Host header or an origin's host, lower-cased, port dropped (`[::1]` keeps its brackets). */
function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':')[0] ?? '';
}

/**
 * Why a request to a loopback-bound server must be refused, or undefined when it may proceed: its Host must name
 * loopback, and an Origin, when a browser sends one, must be a loopback page too.
 */
export function foreignRequest(headers: IncomingHttpHeaders): string | undefined {
  const host = headers.host;
  if (host === undefined || !isLoopbackHost(hostnameOf(host)))
    return `Host ${JSON.stringify(host ?? '')} is not this machine's loopback name`;
  const origin = headers.origin;
  if (origin === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `Origin ${JSON.stringify(origin)} is not a URL`;
  }
  return isLoopbackHost(hostnameOf(url.host))
    ? undefined
    : `Origin ${JSON.stringify(origin)} is a web page, not a local client`;
}
