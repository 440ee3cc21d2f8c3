// doctor's `tool-call hooks` step: how a tool call reaches taskhooks in this project, and whether it can.
import { serverUnusable } from '../install/route.js';
import { findHookInstallation, toolHooksViaMcp } from './hooks-installed.js';
import { StepFailure } from './step-failure.js';

/**
 * How a tool call reaches taskhooks: through `mcp_tool` hooks to the project's `taskhooks mcp` (no process each), which
 * the session must be able to connect, or a process per call.
 */
export function toolCallRoute(
  projectRoot: string,
  args: { env: NodeJS.ProcessEnv; homeDir?: string | undefined },
): string {
  const found = findHookInstallation(projectRoot, args.homeDir);
  const viaMcp = toolHooksViaMcp(found.searched);
  if (viaMcp.length === 0)
    return found.plugin
      ? 'the plugin calls its own taskhooks mcp (no process per tool call) where Claude Code supports mcp_tool hooks'
      : 'commands: a node process per tool call (`taskhooks install` serves them through taskhooks mcp instead)';
  const why = serverUnusable(projectRoot, args.homeDir ? { ...args.env, HOME: args.homeDir } : args.env);
  if (why)
    throw new StepFailure(
      `the tool-call hooks in ${viaMcp.join(', ')} call taskhooks mcp, which a session here cannot reach: ${why}; the next SessionStart switches them to commands (a process per tool call)`,
      'enable the server (take "taskhooks" out of disabledMcpjsonServers) and run `taskhooks install`, or keep commands with `taskhooks install --transport command`',
    );
  return `through taskhooks mcp of .mcp.json (no process per tool call; ${viaMcp.join(', ')})`;
}
