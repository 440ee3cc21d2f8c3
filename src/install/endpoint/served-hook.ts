// An http hook of Claude Code's that posts to the monitor, as install writes it, and whether a settings entry is
// exactly that: the monitor's port moves, the stray-hook check and doctor touch or judge only such an entry.
import { HOOK_EVENTS } from '../../hooks/events/events.js';
import { HOOK_TOKEN_HEADER, referencedVar, tokenReference } from '../../home/hook-token-env.js';
import { isJsonObject } from '../../util/object.js';
import { hasServedShape } from '../../hooks/ports/stray-hooks.js';

/** An http hook posting to the monitor; `block` refuses the call when the monitor cannot answer. */
export interface HttpHandler {
  type: 'http';
  url: string;
  headers: Record<string, string>;
  /** The variable the token header names: Claude Code sends its value from the person's own settings. */
  allowedEnvVars: string[];
  timeout: number;
  onFailure?: 'block';
  /** A permission rule Claude Code checks before posting: the call is not posted unless it matches. */
  if?: string;
}

/**
 * With no guard on, PreToolUse speaks of a Bash call only when it commits or pushes (the reminder): Claude Code posts
 * only the commands that name git (it checks each part of a compound command), so `ls` or a test run posts nothing.
 * A guard needs every call, obfuscated ones too, so an install with one on keeps Bash unfiltered.
 */
export const UNGUARDED_BASH_RULE = 'Bash(*git*)';

/** One event's http hook as install writes it: posted to `port`, the token named by `tokenVar`. */
export function httpHandler(
  e: (typeof HOOK_EVENTS)[number],
  served: { port: number; tokenVar: string; guarded: boolean },
): HttpHandler {
  return {
    type: 'http',
    url: `http://127.0.0.1:${served.port}/hooks/${e.name}`,
    headers: { [HOOK_TOKEN_HEADER]: tokenReference(served.tokenVar) },
    allowedEnvVars: [served.tokenVar],
    timeout: e.timeout,
    ...(e.event === 'PreToolUse' && served.guarded ? { onFailure: 'block' as const } : {}),
  };
}

/** A value with its object keys sorted, so two entries compare by content whatever their key order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    isJsonObject(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );

/**
 * The entries install writes for an http hook of `e` on `port` (guarded or not, Bash filtered or not), with the token
 * header `header`: what an own entry must equal.
 */
function ownShapes(e: (typeof HOOK_EVENTS)[number], port: number, header: string): unknown[] {
  const tokenVar = referencedVar(header);
  return [true, false].flatMap((guarded) => {
    const h: Record<string, unknown> = { ...httpHandler(e, { port, tokenVar: tokenVar ?? '', guarded }) };
    if (tokenVar === undefined) {
      h.headers = { [HOOK_TOKEN_HEADER]: header };
      delete h.allowedEnvVars;
    }
    return e.event === 'PreToolUse' && !guarded ? [h, { ...h, if: UNGUARDED_BASH_RULE }] : [h];
  });
}

/**
 * Whether an http handler is exactly one install wrote (this version's, or an earlier one's carrying the token
 * itself): anything added, left out or changed makes it a hook of someone else's, which taskhooks never rewrites or
 * judges.
 */
export function isOwnServedHook(h: unknown): boolean {
  if (!isJsonObject(h) || !hasServedShape(h) || !isJsonObject(h.headers)) return false;
  const m = /^http:\/\/127\.0\.0\.1:(\d+)\/hooks\/([a-z-]+)$/.exec(String(h.url));
  const e = HOOK_EVENTS.find((x) => x.http && x.name === m?.[2]);
  const header = h.headers[HOOK_TOKEN_HEADER];
  if (!m || !e || typeof header !== 'string') return false;
  const shape = canonical(h);
  return ownShapes(e, Number(m[1]), header).some((own) => canonical(own) === shape);
}
