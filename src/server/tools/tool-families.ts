// Which task tools a server offers: the session's few (session-tools.ts) to a coding session, or the compatibility
// families, agenthub's manage_* and the tracker's, to a client that asks for them (taskhooks' own reader of the
// built-in store, a team's monitors, a config written for those servers). Asked by `?tools=` on the URL
// (`/mcp?tools=all`), `taskhooks mcp --tools`, or the server's own default.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
export type ToolFamilyName = 'session' | 'agenthub' | 'tracker';
export type Tools = readonly ToolFamilyName[];

/** The session's few tools (session-tools.ts), by name, for a check that needs no server loaded (doctor). */
export const SESSION_TOOL_NAMES = ['list_tasks', 'add_task', 'update_task'] as const;

/** The compatibility families' tool names, for the grants a token may carry (auth.ts) with no server loaded. */
export const AGENTHUB_TOOLS = ['manage_task', 'manage_git_branch', 'manage_project'] as const;
export const TRACKER_TOOLS = [
  'get_next_task',
  'list_tasks',
  'update_task_status',
  'get_next_available_id',
  'reserve_id_range',
  'add_task',
  'claim_task',
  'release_task',
] as const;

/** What every server offered before the session's few: agenthub's three tools and the tracker's eight. */
export const COMPATIBILITY: readonly ToolFamilyName[] = ['agenthub', 'tracker'];
export const SESSION: readonly ToolFamilyName[] = ['session'];

const WORDS: Record<string, readonly ToolFamilyName[]> = {
  all: COMPATIBILITY,
  compat: COMPATIBILITY,
  session: SESSION,
  agenthub: ['agenthub'],
  tracker: ['tracker'],
};

/** The words a `tools` setting takes, for help and refusals. */
export const TOOLS_WORDS = Object.keys(WORDS);

/**
 * The families a `tools` value names (comma-separated words), else `fallback`. The tracker's list_tasks and add_task
 * share the session's names, so a value naming both keeps the tracker's.
 */
export function familiesAsked(value: string | null | undefined, fallback: readonly ToolFamilyName[]) {
  const asked = new Set((value ?? '').split(',').flatMap((w) => WORDS[w.trim().toLowerCase()] ?? []));
  if (asked.has('tracker')) asked.delete('session');
  return asked.size > 0 ? ([...asked].sort() as readonly ToolFamilyName[]) : fallback;
}

/** The families a request asks for by its URL (`/mcp?tools=all`), else the server's default, else COMPATIBILITY. */
export function requestTools(req: IncomingMessage, fallback: readonly ToolFamilyName[] = COMPATIBILITY) {
  const query = (req.url ?? '').split('?')[1];
  return familiesAsked(query === undefined ? undefined : new URLSearchParams(query).get('tools'), fallback);
}

/**
 * Where a session works, as the server found it for a request (by the connection's process, or the folder a stdio
 * server started in): the session tools' default project and branch, and the session a write is told to as its own.
 */
export interface SessionPlace {
  project: string;
  branch?: string | undefined;
  sessionId?: string | undefined;
}

/**
 * The request headers a server hands the session tools the place it found for the request's session; ones a client
 * sends itself are dropped first.
 */
export const SESSION_HEADERS = {
  project: 'x-taskhooks-session-project',
  branch: 'x-taskhooks-session-branch',
  sessionId: 'x-taskhooks-session-id',
} as const;

/**
 * The headers a request's tools see: its own, less the session place it claims, plus the one `find` tells for a tool
 * call of the session's tools.
 */
export function sessionHeaders(
  req: IncomingMessage,
  tools: readonly ToolFamilyName[],
  calls: number,
  find: ((req: IncomingMessage) => SessionPlace | undefined) | undefined,
): IncomingHttpHeaders {
  const headers = { ...req.headers };
  for (const name of Object.values(SESSION_HEADERS)) delete headers[name];
  const place = tools.includes('session') && calls > 0 ? find?.(req) : undefined;
  if (!place) return headers;
  headers[SESSION_HEADERS.project] = place.project;
  if (place.branch) headers[SESSION_HEADERS.branch] = place.branch;
  if (place.sessionId) headers[SESSION_HEADERS.sessionId] = place.sessionId;
  return headers;
}

/** The session place a request's headers carry (set by sessionHeaders above), if any. */
export function placeOfHeaders(
  headers: Record<string, string | string[] | undefined> | undefined,
): SessionPlace | undefined {
  const one = (name: string): string | undefined => {
    const v = headers?.[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const project = one(SESSION_HEADERS.project);
  if (!project) return undefined;
  return { project, branch: one(SESSION_HEADERS.branch), sessionId: one(SESSION_HEADERS.sessionId) };
}
