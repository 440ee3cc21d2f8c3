// How a Claude Code tool call reaches taskhooks in this project, and who answers it: part of doctor's Claude Code row.
import os from 'node:os';
import { mcpSocketPath } from '../home/endpoint.js';
import { homeFiles, type MonitorInfo } from '../home/files.js';
import { otherMonitorCode, readMonitorInfo } from '../home/monitor-info.js';
import { readTextCapped, SMALL_MAX_BYTES } from '../util/safe-read.js';
import { readSettings, type ServedHookTarget } from '../hooks/ports/stray-hooks.js';
import { envValue, referencedVar } from '../home/hook-token-env.js';
import { MCP_TOOL_CALLS } from '../hooks/events/task-tools.js';
import { findHookInstallation, otherPostToolUseMatchers, type HookInstallation } from './hooks-installed.js';
import { toolHooksViaMcp } from './via-mcp.js';
import { StepFailure } from './step-failure.js';
import { claudeConfig } from '../agents/claude/config.js';

/**
 * Settings files whose served hooks send a token other than the home's hook-token (none if that is unreadable): the
 * token itself, or the value the person's settings give the variable it names (`userFile`, read once).
 */
function staleTokenFiles(hooks: readonly ServedHookTarget[], home: string, userFile: string): string[] {
  let current: string;
  try {
    current = readTextCapped(homeFiles(home).hookToken, SMALL_MAX_BYTES).trim();
  } catch {
    return []; // no token yet: the monitor's start makes one, and install writes it
  }
  let user: unknown;
  const sent = (h: ServedHookTarget): string | undefined => {
    const name = referencedVar(h.token);
    if (name === undefined) return h.token;
    user ??= readSettings(userFile);
    return envValue(user, name);
  };
  return [...new Set(hooks.filter((h) => sent(h) !== current).map((h) => h.file))];
}

/**
 * How a tool call reaches taskhooks: posted to the running monitor (no process each), handed to it over mcp.sock by
 * the plugin's bridge, through `mcp_tool` hooks to `taskhooks mcp` (an install of an earlier version), or a process
 * per call.
 */
export function toolCallRoute(
  projectRoot: string,
  args: { home: string; homeDir?: string | undefined; guarded: boolean },
): string {
  const found = findHookInstallation(projectRoot, args.homeDir);
  const earlier = otherPostToolUseMatchers(found.searched, MCP_TOOL_CALLS)
    .map(
      ([file, matcher]) =>
        `; PostToolUse in ${file} matches ${matcher}, as an earlier version wrote it (one hook more on every tool call): \`taskhooks install\` narrows it to \`${MCP_TOOL_CALLS}\``,
    )
    .join('');
  const userFile = claudeConfig.configFile('user', projectRoot, { HOME: args.homeDir ?? os.homedir() });
  return routeOf(found, args.home, args.guarded, userFile) + earlier;
}

function routeOf(found: HookInstallation, home: string, guarded: boolean, userFile: string): string {
  if (found.served) {
    if (guarded && found.unguardedPreToolUse)
      throw new StepFailure(
        `a guard is on, but PreToolUse in ${found.unguardedPreToolUse.join(' and ')} is as install writes it with none (Bash calls posted only where they name git, every call let through while the monitor cannot answer): guarded calls may pass undecided`,
        'write the guarded entries: `taskhooks install` in this project, then restart its sessions',
      );
    const info = readMonitorInfo(home);
    if (!info || info.hookPort === null)
      throw new StepFailure(
        `the tool-call hooks post to the monitor, which ${info ? `serves none: ${info.hookProblem ?? 'no port bound'}` : 'is not running'}: tool calls go unseen and guarded ones are refused`,
        'start it: `taskhooks monitor start`',
      );
    const hooks = found.servedHooks ?? [];
    const stray = [...new Set(hooks.map((h) => h.port).filter((port) => port !== info.hookPort))];
    if (stray.length > 0)
      throw new StepFailure(
        `the tool-call hooks post to 127.0.0.1:${stray.join(', ')}, where the monitor does not listen (it serves ${info.hookPort}${info.hookPortHeld === undefined ? '' : `: another process holds ${info.hookPortHeld}`}): tool calls reach whatever listens there, so a session that starts while something does is stopped`,
        'point them at the monitor: `taskhooks install` in this project, then restart its sessions',
      );
    const stale = staleTokenFiles(hooks, home, userFile);
    if (stale.length > 0)
      throw new StepFailure(
        `the tool-call hooks in ${stale.join(' and ')} carry a hook token this state directory no longer accepts (it is replaced when the monitor moves off a port another process holds): the monitor refuses them, so tool calls go unseen and guarded ones are refused`,
        'write the current one: `taskhooks install` in this project, then restart its sessions',
      );
    // This command's own code (holdsThisCode): the monitor's row names it, this one need not again.
    holdsThisCode(info, 'the tool-call hooks');
    return `posted to the monitor (pid ${info.pid}, 127.0.0.1:${info.hookPort}${info.hookSocket ? ` and ${info.hookSocket}` : ''}): no process per tool call`;
  }
  const viaMcp = toolHooksViaMcp(found.searched);
  if (viaMcp.length > 0)
    return `through taskhooks mcp of .mcp.json (${viaMcp.join(', ')}), the route of an earlier version: \`taskhooks install\` moves it to the monitor, which keeps no server between a session and its first request`;
  return found.plugin
    ? pluginRoute(home)
    : 'commands: a node process per tool call (`taskhooks install` has the monitor answer them instead)';
}

/** A monitor running other code than this command's answers with that code: named, with the restart. */
function holdsThisCode(info: MonitorInfo, whose: string): void {
  const other = otherMonitorCode(info);
  if (other)
    throw new StepFailure(
      `the monitor that answers ${whose} (pid ${info.pid}) runs ${other}`,
      "`taskhooks monitor start` replaces it with this build's",
    );
}

/**
 * The plugin's bridge joins each session to the monitor of the state directory over mcp.sock, and serves the hook tool
 * itself where none answers: nothing gives way, but the session then waits for that server to load.
 */
function pluginRoute(home: string): string {
  const info = readMonitorInfo(home);
  if (!info?.mcpSocket)
    return `the plugin's bridge joins its sessions to the monitor over ${mcpSocketPath(home) ?? "the state directory's socket"}, where none answers: each session serves the hook tool itself (its load delays the session's start, guards still decided) until \`taskhooks monitor start\` or the next session starts it`;
  holdsThisCode(info, "the plugin's hooks");
  return `the plugin's bridge joins its sessions to the monitor over ${info.mcpSocket} (pid ${info.pid}): no server of their own, no process per tool call`;
}
