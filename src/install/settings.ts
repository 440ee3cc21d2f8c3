// taskhooks' entries in a Claude Code settings file: built, recognised, merged in place and taken out again,
// leaving the user's own hooks, permissions and every other key exactly as they were.
import { type JsonObject } from './json-doc.js';
import { shellQuote } from './paths.js';
import { isJsonObject } from '../util/object.js';
import { TASK_CHANGING_MATCHER } from '../hooks/task-tools.js';

const SESSION_START_MATCHER = 'startup|resume|clear|compact';
/** Exact names: a plain `A|B` list matches whole tool names only, so `Edit` does not also catch unrelated tools. */
const PRE_TOOL_USE_MATCHER = 'Edit|Write|MultiEdit|NotebookEdit|Bash';
/**
 * Seconds (Claude Code's unit). SessionStart may fetch once when the cache is cold: its timeout is only a ceiling above
 * the longest deadline the config allows (the hook answers by its own deadline, 1.5 s unless configured), so that the
 * hook, not Claude Code, says what went wrong. PostToolUse reads and writes the
 * cache only. PreToolUse reads the cache and, after a change made the snapshot stale, fetches live: the schema caps
 * that fetch's deadline so the hook's own watchdog answers first. It is kept short rather than raised to fit longer
 * deadlines: a PreToolUse that gives up lets the tool call through, and every edit waits for it meanwhile.
 */
const SESSION_START_TIMEOUT = 35;
const PRE_TOOL_USE_TIMEOUT = 5;
/** The prompt waits on UserPromptSubmit: bounded like PreToolUse, for the same reason. */
const USER_PROMPT_SUBMIT_TIMEOUT = 5;
const SESSION_END_TIMEOUT = 5;
/** UserPromptSubmit and SessionEnd take no matcher that taskhooks needs: every prompt, every way a session ends. */
const ANY = '';
const POST_TOOL_USE_TIMEOUT = 5;

const HOOK_TOKEN_HEADER = 'X-Taskhooks-Token';
/** The hooks install writes, each named as its script (dist/hooks/<name>.js) and its served route (/hooks/<name>). */
const HOOK_NAMES = ['session-start', 'pre-tool-use', 'post-tool-use', 'user-prompt-submit', 'session-end'] as const;
type HookName = (typeof HOOK_NAMES)[number];
/** A hook's script, relative to the package root. */
const hookScript = (name: HookName): string => `dist/hooks/${name}.js`;
export const HOOK_SCRIPTS: readonly string[] = HOOK_NAMES.map(hookScript);
const SERVED_HOOK_PATH = new RegExp(`^http://(127\\.0\\.0\\.1|localhost)(:\\d+)?/hooks/(${HOOK_NAMES.join('|')})$`);

/** One handler entry of a Claude Code settings file, as taskhooks writes it. */
export type SettingsHook =
  | { type: 'command'; command: string; timeout: number; async?: true }
  | { type: 'http'; url: string; headers: Record<string, string>; timeout: number };

export interface MatcherGroup {
  matcher: string;
  hooks: SettingsHook[];
}

export interface DesiredHooks {
  SessionStart: MatcherGroup;
  PreToolUse: MatcherGroup;
  PostToolUse: MatcherGroup;
  UserPromptSubmit: MatcherGroup;
  SessionEnd: MatcherGroup;
}

export type HookTransport = 'command' | 'http';

export interface HookTargets {
  node: string;
  root: string;
  transport: HookTransport;
  /** Needed for the http transport: where the monitor serves hooks and the token it expects. */
  served?: { port: number; token: string };
}

const commandHook = (node: string, script: string, timeout: number, async?: true): SettingsHook => ({
  type: 'command',
  command: `${shellQuote(node)} ${shellQuote(script)}`,
  timeout,
  ...(async ? { async } : {}),
});

export function desiredHooks(t: HookTargets): DesiredHooks {
  const script = (name: HookName): string => `${t.root}/${hookScript(name)}`;
  let preToolUse: SettingsHook = commandHook(t.node, script('pre-tool-use'), PRE_TOOL_USE_TIMEOUT);
  // Async: it only brings the cache up to date, so Claude never waits for it.
  let postToolUse = commandHook(t.node, script('post-tool-use'), POST_TOOL_USE_TIMEOUT, true);
  if (t.transport === 'http') {
    const { served } = t;
    if (!served) throw new Error('the http transport needs the monitor port and hook token');
    const httpHook = (name: HookName, timeout: number): SettingsHook => ({
      type: 'http',
      url: `http://127.0.0.1:${served.port}/hooks/${name}`,
      headers: { [HOOK_TOKEN_HEADER]: served.token },
      timeout,
    });
    preToolUse = httpHook('pre-tool-use', PRE_TOOL_USE_TIMEOUT);
    // Claude Code has no async http hooks (async is for commands only): Claude waits for this one, but the running
    // monitor answers it in a few milliseconds, with no process to start.
    postToolUse = httpHook('post-tool-use', POST_TOOL_USE_TIMEOUT);
  }
  return {
    // SessionStart stays a command in both transports: it is what starts the monitor when it is down.
    SessionStart: { matcher: SESSION_START_MATCHER, hooks: [commandHook(t.node, script('session-start'), SESSION_START_TIMEOUT)] },
    PreToolUse: { matcher: PRE_TOOL_USE_MATCHER, hooks: [preToolUse] },
    PostToolUse: { matcher: TASK_CHANGING_MATCHER, hooks: [postToolUse] },
    // Commands in both transports: nothing new is answered from two small files, cheaper than any request.
    UserPromptSubmit: { matcher: ANY, hooks: [commandHook(t.node, script('user-prompt-submit'), USER_PROMPT_SUBMIT_TIMEOUT)] },
    SessionEnd: { matcher: ANY, hooks: [commandHook(t.node, script('session-end'), SESSION_END_TIMEOUT)] },
  };
}

/** A handler taskhooks wrote: it runs one of the bundled hook scripts or posts to the monitor's served hooks. */
function isTaskhooksHandler(h: unknown): boolean {
  if (!isJsonObject(h)) return false;
  const { type, command, url } = h;
  if (type === 'command' && typeof command === 'string') return HOOK_SCRIPTS.some((s) => command.includes(s));
  if (type === 'http' && typeof url === 'string') return SERVED_HOOK_PATH.test(url);
  return false;
}

const handlersOf = (group: unknown): unknown[] => (isJsonObject(group) && Array.isArray(group.hooks) ? group.hooks : []);

/** True when the settings hold any taskhooks handler. */
export function hasTaskhooksHooks(settings: JsonObject): boolean {
  const hooks = settings.hooks;
  if (!isJsonObject(hooks)) return false;
  return Object.values(hooks).some((groups) => Array.isArray(groups) && groups.some((g) => handlersOf(g).some(isTaskhooksHandler)));
}

/**
 * One event's groups with taskhooks' handlers taken out; `replacement` takes the place of the first group that was
 * entirely taskhooks' (so a reinstall changes nothing), else it is appended.
 */
function rewriteEvent(groups: unknown[], replacement?: MatcherGroup): unknown[] {
  const out: unknown[] = [];
  let placed = false;
  for (const group of groups) {
    const handlers = handlersOf(group);
    const ours = handlers.filter(isTaskhooksHandler);
    if (ours.length === 0) {
      out.push(group);
      continue;
    }
    if (replacement && !placed && ours.length === handlers.length) {
      out.push(replacement);
      placed = true;
      continue;
    }
    const rest = handlers.filter((h) => !isTaskhooksHandler(h));
    if (rest.length > 0) out.push({ ...(group as JsonObject), hooks: rest });
  }
  if (replacement && !placed) out.push(replacement);
  return out;
}

/**
 * The settings with taskhooks' hooks set to `desired` (or removed when it is undefined). Every other key keeps its
 * place and value; containers that only taskhooks filled are dropped again on removal.
 */
export function withTaskhooksHooks(settings: JsonObject, desired?: Partial<DesiredHooks>): JsonObject {
  const hooksBefore = isJsonObject(settings.hooks) ? settings.hooks : undefined;
  const hooks: JsonObject = { ...(hooksBefore ?? {}) };
  const events = new Set([...Object.keys(hooks), ...Object.keys(desired ?? {})]);
  for (const event of events) {
    const before = Array.isArray(hooks[event]) ? (hooks[event] as unknown[]) : [];
    if (hooks[event] !== undefined && !Array.isArray(hooks[event])) continue; // not ours to interpret
    const after = rewriteEvent(before, desired?.[event as keyof DesiredHooks]);
    if (after.length === 0 && before.length > 0) delete hooks[event];
    else if (after.length > 0) hooks[event] = after;
  }
  const out: JsonObject = { ...settings };
  if (Object.keys(hooks).length > 0) out.hooks = hooks;
  else if (hooksBefore && Object.keys(hooksBefore).length > 0) delete out.hooks;
  return out;
}
