// taskhooks' entries in a Claude Code settings file: built, recognised, merged in place and taken out again,
// leaving the user's own hooks, permissions and every other key exactly as they were.
import type { JsonObject } from '../../files/json-doc.js';
import { shellQuote } from '../paths.js';
import {
  ASK_MONITOR_ARG,
  commandHook,
  hookScript,
  nodeLine,
  packageFile,
  perlFirst,
  type CommandHandler,
} from './command-hook.js';
import { isJsonObject } from '../../util/object.js';
import { foreignEntry, listAt, objectAt } from '../planning/refusals.js';
import { HOOK_EVENTS, HOOK_NAMES, type ClaudeHookEvent } from '../../hooks/events/events.js';
import { BACKGROUND_WAIT_MS } from '../../home/monitor-late.js';
import { HOOK_TOKEN_HEADER, tokenReference } from '../../home/hook-token-env.js';
import { httpHandler, isOwnServedHook, UNGUARDED_BASH_RULE, type HttpHandler } from '../endpoint/served-hook.js';

export { isOwnServedHook, UNGUARDED_BASH_RULE, type HttpHandler } from '../endpoint/served-hook.js';
import { decodedPowershell } from './windows-hook.js';
import {
  isOurMcpToolHandler,
  MCP_SERVER_NAME,
  mcpToolHandler,
  type McpToolHandler,
} from '../../hooks/hosts/mcp-tool-input.js';

export const HOOK_SCRIPTS: readonly string[] = HOOK_NAMES.map(hookScript);
/**
 * Without a plugin there is no monitor to tell an idle session: an asyncRewake hook on Stop (the session turns idle)
 * waits for the first news and wakes it with that (`taskhooks watch --rewake`, exit 2).
 */
const REWAKE_EVENT = 'Stop';
const REWAKE_ARGS = ['watch', '--rewake'];
/**
 * Claude Code waits for this hook at the end of an unattended session's (`claude -p`) one turn: the shell's test skips
 * the node start (over 100 ms) there, where the watch would end at once anyway.
 */
const REWAKE_GUARD = '[ "$CLAUDE_CODE_SESSION_ATTENDED" = 0 ] ||';
/** The rewake watch lives while the session waits; Claude Code ends it with the session or the next Stop's. */
const REWAKE_TIMEOUT_S = 24 * 60 * 60;
const SERVED_HOOK_PATH = new RegExp(`^http://(127\\.0\\.0\\.1|localhost)(:\\d+)?/hooks/(${HOOK_NAMES.join('|')})$`);

/** One handler entry of a Claude Code settings file, as taskhooks writes it. */
export type SettingsHook = CommandHandler | HttpHandler | McpToolHandler;

export interface MatcherGroup {
  matcher: string;
  hooks: SettingsHook[];
}

/** Copilot CLI's entry of an event: a handler of its own, without a matcher group around it. */
export interface FlatHandler {
  type: 'command';
  /** Its line on Linux and macOS, and `powershell` its line on Windows: each platform's install writes its own. */
  bash?: string;
  powershell?: string;
  timeoutSec: number;
}

export type HookEntry = MatcherGroup | FlatHandler;

/** An event's entries: one group, or several where calls of one event are filtered differently. */
export type EventEntries = HookEntry | readonly MatcherGroup[];

export type DesiredHooks = Record<Exclude<ClaudeHookEvent, 'PreToolUse' | 'PostToolBatch'>, MatcherGroup> & {
  PreToolUse: MatcherGroup | readonly MatcherGroup[];
  /** Absent when mid-turn news is off. */
  PostToolBatch?: MatcherGroup;
} & Partial<Record<typeof REWAKE_EVENT, MatcherGroup>>;

/**
 * http (the default): the events Claude Code lets post, posted to the monitor, and SessionStart handed to it over the
 * home's socket, with the node hook only where it cannot answer; command: every event a node process; mcp: the
 * per-call events through `mcp_tool` hooks to `taskhooks mcp` (what the plugin uses).
 */
export type HookTransport = 'http' | 'command' | 'mcp';

/** Where the monitor of the installing person's state directory answers, for the http transport. */
export interface ServedEndpoint {
  port: number;
  /** The variable holding the hook token (its value is in ~/.claude/settings.json: src/home/hook-token-env.ts). */
  tokenVar: string;
  /** The monitor's Unix socket, where the state directory's path leaves room for one. */
  socket?: string | undefined;
  /** A guard is configured: PreToolUse refuses the calls it sees while the monitor cannot answer them. */
  guarded: boolean;
}

export interface HookTargets {
  node: string;
  root: string;
  transport: HookTransport;
  /** The platform the settings are written for (this one unless a test says): Windows gets exec-form commands. */
  platform?: NodeJS.Platform;
  /** False: no PostToolBatch hook (hooks.midTurnNews); an edit's reminder then comes from PreToolUse. */
  midTurnNews?: boolean;
  /** Needed for the http transport. */
  served?: ServedEndpoint;
}

/** How long SessionStart waits for the monitor before the node hook answers instead (a monitor down fails at once). */
export const SOCKET_WAIT_S = 0.3;

/** The socket client beside the hook entries (hooks/socket-post.pl), as a path below taskhooks' package folder. */
export const SOCKET_POST = 'hooks/socket-post.pl';

/** One hook handed to the monitor over the home's socket, the node hook where it cannot answer. */
export interface SocketFirst {
  node: string;
  script: string;
  /** SOCKET_POST of this taskhooks, as a shell word. */
  post: string;
  name: string;
  socket: string;
  /** Seconds the monitor may take before the node hook answers instead; SOCKET_WAIT_S unless given. */
  wait?: number | undefined;
  /**
   * The node hook waits for a monitor another session's hook is starting, as SessionStart's does: after a reboot a
   * herd of sessions then loads one node hook and one monitor, not one of each per session.
   */
  askMonitor?: boolean | undefined;
}

/**
 * A hook handed to the monitor over the home's socket by a small perl client (a few ms, where node takes a hundred and
 * curl tens; hooks/socket-post.pl, with curl's exit codes), which the shell becomes (`exec`): it reads the input once,
 * prints the monitor's answer only when whole, and else hands the same input to the node hook, which also starts the
 * monitor, telling it to answer all the same unless nothing listened (src/home/monitor-late.ts). A hook costs one
 * process where the monitor answers, as a stub's `cat` does; a machine without perl gets the node hook. $PPID is the
 * agent that runs this shell: the monitor cannot find it among its own ancestors. Each argument is a shell word
 * already (quoted, or an expansion the shell makes), so the plugin's file can find its socket at run time.
 */
export function socketFirstCommand(w: SocketFirst): string {
  const hook = `${w.node} ${w.script}${w.askMonitor ? ` ${ASK_MONITOR_ARG}` : ''}`;
  return perlFirst(`${w.post} ${w.wait ?? SOCKET_WAIT_S} ${w.socket} ${w.name} "$PPID"`, hook);
}

/**
 * PreToolUse's entries when no guard is on: Bash only where it names git, and no edit. An edit's reminder reaches the
 * model beside the edit's result either way, so PostToolBatch, which runs after every batch anyway, gives it: a hook
 * fewer on every edit, each of which costs Claude Code milliseconds whoever answers.
 */
function unguardedPreToolUse(matcher: string, handler: HttpHandler, midTurnNews: boolean): readonly MatcherGroup[] {
  if (matcher !== 'Edit|Write|MultiEdit|NotebookEdit|Bash')
    throw new Error(`PreToolUse's matcher changed to ${matcher}: split it again for the unguarded Bash filter`);
  const bash: MatcherGroup = { matcher: 'Bash', hooks: [{ ...handler, if: UNGUARDED_BASH_RULE }] };
  // Without PostToolBatch, PreToolUse hears edits again for their reminder.
  return midTurnNews ? [bash] : [{ matcher: 'Edit|Write|MultiEdit|NotebookEdit', hooks: [handler] }, bash];
}

/**
 * Each of HOOK_EVENTS as a settings entry: under the http transport a post to the monitor where Claude Code allows one
 * and the others (SessionStart, SessionEnd, Stop) through its socket, under the mcp transport a call to the hook tool
 * of the project's `taskhooks` server where Claude Code allows one, else a command.
 */
export function desiredHooks(t: HookTargets): DesiredHooks {
  const { served } = t;
  if (t.transport === 'http' && !served) throw new Error('the http transport needs the monitor port and hook token');
  const platform = t.platform ?? process.platform;
  const handler = (e: (typeof HOOK_EVENTS)[number]): SettingsHook => {
    const script = packageFile(t.root, hookScript(e.name), platform);
    if (t.transport === 'mcp' && e.mcpTool) return mcpToolHandler(e, MCP_SERVER_NAME);
    if (served && t.transport === 'http' && e.http) return httpHandler(e, served);
    const background = e.async ? ({ async: true } as const) : {};
    // Windows has no socket client to run first: the node hook asks the monitor on its port before answering itself.
    if (served && t.transport === 'http' && platform === 'win32')
      return commandHook({ node: t.node, script, args: [ASK_MONITOR_ARG], platform }, e.timeout, background);
    // The async ones too: the monitor does their work, so a session's end starts no node where the monitor runs.
    if (served?.socket && t.transport === 'http')
      return {
        type: 'command',
        command: socketFirstCommand({
          node: shellQuote(t.node),
          script: shellQuote(script),
          post: shellQuote(`${t.root}/${SOCKET_POST}`),
          name: e.name,
          socket: shellQuote(served.socket),
          wait: e.async ? BACKGROUND_WAIT_MS / 1000 : undefined,
          askMonitor: e.name === 'session-start',
        }),
        timeout: e.timeout,
        ...background,
      };
    return commandHook({ node: t.node, script, platform }, e.timeout, background);
  };
  const midTurnNews = t.midTurnNews ?? true;
  return Object.fromEntries(
    HOOK_EVENTS.filter((e) => midTurnNews || e.event !== 'PostToolBatch').map((e) => {
      const h = handler(e);
      if (e.event === 'PreToolUse' && h.type === 'http' && !served?.guarded)
        return [e.event, unguardedPreToolUse(e.matcher, h, midTurnNews)];
      return [e.event, { matcher: e.matcher, hooks: [h] }];
    }),
  ) as DesiredHooks;
}

/** The settings' stand-in for the plugin's monitor: the rewake watch on Stop (a plugin declares its monitor instead). */
export function withIdleRewake(hooks: DesiredHooks, t: Pick<HookTargets, 'node' | 'root' | 'platform'>): DesiredHooks {
  const platform = t.platform ?? process.platform;
  const cli = packageFile(t.root, 'dist/cli.js', platform);
  // Windows: no shell to skip the node start of an unattended session; the watch there ends at once by itself.
  const rewake: SettingsHook =
    platform === 'win32'
      ? commandHook({ node: t.node, script: cli, args: REWAKE_ARGS, platform }, REWAKE_TIMEOUT_S, { asyncRewake: true })
      : {
          type: 'command',
          command: nodeLine(
            t.node,
            `${REWAKE_GUARD} ${shellQuote(t.node)} ${shellQuote(cli)} ${REWAKE_ARGS.join(' ')}`,
          ),
          timeout: REWAKE_TIMEOUT_S,
          asyncRewake: true,
        };
  // Beside the work record's own Stop entry: both run at every turn's end.
  const own = hooks[REWAKE_EVENT];
  return { ...hooks, [REWAKE_EVENT]: { matcher: '', hooks: [...(own?.hooks ?? []), rewake] } };
}

/**
 * A handler taskhooks wrote: it runs one of the bundled hook scripts or posts to the monitor's served hooks (any
 * taskhooks', to replace or take out; doctor holds it to this one's: ../own-wiring.ts).
 */
export function isTaskhooksHandler(h: unknown): boolean {
  if (!isJsonObject(h)) return false;
  const { type, url } = h;
  const command = handlerLine(h);
  if (type === 'command' && typeof command === 'string') {
    const args = execArgs(h);
    // Read with forward slashes: a Windows install writes its scripts' paths with backslashes.
    const line = [command, ...(args ?? [])].join(' ').replaceAll('\\', '/');
    if (HOOK_SCRIPTS.some((s) => line.includes(s))) return true;
    if (args)
      return (
        args.length === 3 &&
        args[0]?.replaceAll('\\', '/').endsWith('/dist/cli.js') === true &&
        args.slice(1).join(' ') === REWAKE_ARGS.join(' ')
      );
    return command.endsWith(`/dist/cli.js" ${REWAKE_ARGS.join(' ')}`);
  }
  if (type === 'http' && typeof url === 'string') return SERVED_HOOK_PATH.test(url);
  return isOurMcpToolHandler(h);
}

/** A command handler's line: its `command`, or Copilot CLI's `bash` or `powershell`; an encoded PowerShell one read. */
export function handlerLine(h: JsonObject): string | undefined {
  const command = h.command ?? h.bash ?? h.powershell;
  return typeof command === 'string' ? decodedPowershell(command) : undefined;
}

/** An exec-form handler's arguments (all strings), or undefined for a shell line. */
export function execArgs(h: JsonObject): string[] | undefined {
  const { args } = h;
  return Array.isArray(args) && args.every((a) => typeof a === 'string') ? (args as string[]) : undefined;
}

/** A group's handlers; a handler standing alone (Copilot CLI's) is its own. */
export const handlersOf = (group: unknown): unknown[] =>
  !isJsonObject(group) ? [] : Array.isArray(group.hooks) ? group.hooks : 'type' in group ? [group] : [];

/** Whether the settings hold any http hook exactly as install writes it. */
export function hasOwnServedHooks(settings: JsonObject): boolean {
  const hooks = isJsonObject(settings.hooks) ? settings.hooks : {};
  return Object.values(hooks).some(
    (groups) => Array.isArray(groups) && groups.flatMap(handlersOf).some(isOwnServedHook),
  );
}

/**
 * The settings with every http hook install wrote pointed at `port`, its token named by `tokenVar` (the endpoint
 * moved, or an earlier install's token is taken out of the file); nothing else changes, and a file without such hooks
 * comes back as it was.
 */
export function withServedEndpoint(settings: JsonObject, served: { port: number; tokenVar: string }): JsonObject {
  const hooks = settings.hooks;
  if (!isJsonObject(hooks)) return settings;
  const repoint = (h: unknown): unknown => {
    if (!isOwnServedHook(h) || !isJsonObject(h)) return h;
    const event = String(h.url).slice(String(h.url).lastIndexOf('/') + 1);
    // Rebuilt key by key, so the entry keeps its layout and an earlier install's gains the variable where install puts it.
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(h)) {
      if (k === 'allowedEnvVars') continue;
      out[k] = k === 'url' ? `http://127.0.0.1:${served.port}/hooks/${event}` : v;
      if (k !== 'headers') continue;
      out.headers = { [HOOK_TOKEN_HEADER]: tokenReference(served.tokenVar) };
      out.allowedEnvVars = [served.tokenVar];
    }
    return out;
  };
  const next: JsonObject = {};
  for (const [event, groups] of Object.entries(hooks))
    next[event] = Array.isArray(groups)
      ? groups.map((g) => (isJsonObject(g) && Array.isArray(g.hooks) ? { ...g, hooks: g.hooks.map(repoint) } : g))
      : groups;
  return { ...settings, hooks: next };
}

/**
 * In a hooks file that is taskhooks' own (Copilot CLI's `.github/hooks/taskhooks.json`), every handler must be one
 * install wrote: a repository's own there would run under taskhooks' name.
 */
export function refuseForeignHandlers(settings: JsonObject): void {
  const hooks = isJsonObject(settings.hooks) ? settings.hooks : {};
  for (const [event, groups] of Object.entries(hooks)) {
    const foreign = (Array.isArray(groups) ? groups : [groups]).flatMap(handlersOf).find((h) => !isTaskhooksHandler(h));
    if (foreign !== undefined) throw foreignEntry(`hooks.${event}`, foreign);
  }
}

/** True when the settings hold any taskhooks handler. */
export function hasTaskhooksHooks(settings: JsonObject): boolean {
  const hooks = settings.hooks;
  if (!isJsonObject(hooks)) return false;
  return Object.values(hooks).some(
    (groups) => Array.isArray(groups) && groups.some((g) => handlersOf(g).some(isTaskhooksHandler)),
  );
}

/**
 * One event's groups with taskhooks' handlers taken out; `replacement` takes the place of the first group that was
 * entirely taskhooks' (so a reinstall changes nothing), else it is appended.
 */
function rewriteEvent(groups: unknown[], entries?: EventEntries): unknown[] {
  const replacement: readonly HookEntry[] | undefined =
    entries === undefined || Array.isArray(entries) ? entries : [entries as HookEntry];
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
      out.push(...replacement);
      placed = true;
      continue;
    }
    const rest = handlers.filter((h) => !isTaskhooksHandler(h));
    if (rest.length > 0) out.push({ ...(group as JsonObject), hooks: rest });
  }
  if (replacement && !placed) out.push(...replacement);
  return out;
}

/**
 * The settings with taskhooks' hooks set to `desired` (or removed when it is undefined). Every other key keeps its
 * place and value; containers that only taskhooks filled are dropped again on removal.
 */
export function withTaskhooksHooks(settings: JsonObject, desired?: Readonly<Record<string, EventEntries>>): JsonObject {
  // Set, hooks of another shape are refused (written around, they would be lost or run nothing); taken out, they stay.
  const hooksBefore = desired ? objectAt(settings, 'hooks') : isJsonObject(settings.hooks) ? settings.hooks : undefined;
  if (!desired && settings.hooks !== undefined && !hooksBefore) return settings;
  const hooks: JsonObject = { ...(hooksBefore ?? {}) };
  const events = new Set([...Object.keys(hooks), ...Object.keys(desired ?? {})]);
  for (const event of events) {
    if (desired?.[event] !== undefined) listAt(hooks, event, `hooks.${event}`);
    const before = Array.isArray(hooks[event]) ? (hooks[event] as unknown[]) : [];
    if (hooks[event] !== undefined && !Array.isArray(hooks[event])) continue; // not ours to interpret
    const after = rewriteEvent(before, desired?.[event]);
    if (after.length === 0 && before.length > 0) delete hooks[event];
    else if (after.length > 0) hooks[event] = after;
  }
  const out: JsonObject = { ...settings };
  if (Object.keys(hooks).length > 0) out.hooks = hooks;
  else if (hooksBefore && Object.keys(hooksBefore).length > 0) delete out.hooks;
  return out;
}

const APPROVED = 'enabledMcpjsonServers';

/**
 * The settings with the project's `taskhooks` server in .mcp.json approved (or that approval taken out), the way
 * Claude Code itself records a person's yes: without it, Claude Code asks first and the hooks calling it meanwhile
 * fail. Other approved servers keep their place.
 */
export function withServerApproval(settings: JsonObject, approve: boolean): JsonObject {
  const found = settings[APPROVED];
  const before = approve ? listAt(settings, APPROVED) : Array.isArray(found) ? (found as unknown[]) : undefined;
  if (settings[APPROVED] !== undefined && !before) return settings; // not ours to interpret
  const others = (before ?? []).filter((n) => n !== MCP_SERVER_NAME);
  const after = approve ? [...others, MCP_SERVER_NAME] : others;
  const out: JsonObject = { ...settings };
  if (after.length > 0) out[APPROVED] = after;
  else delete out[APPROVED];
  if (before && approve && before.includes(MCP_SERVER_NAME)) return settings;
  return out;
}

/** Whether the settings approve the project's `taskhooks` server. */
export const approvesServer = (settings: JsonObject): boolean =>
  Array.isArray(settings[APPROVED]) && (settings[APPROVED] as unknown[]).includes(MCP_SERVER_NAME);
