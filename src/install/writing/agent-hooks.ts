// Another agent's hook registrations as install writes them: the adapter's bindings (src/agents), in the shape of a
// Claude Code settings file's `hooks` (which Codex's hooks.json and Gemini CLI's and Qwen Code's settings.json share),
// the timeout in the agent's unit; for Copilot CLI, its own handlers (`bash`, `timeoutSec`), each naming its event.
// Where the monitor has a socket, each is a shell that becomes the socket client (hooks/socket-post.pl), which hands
// the input to the hook entry (`node dist/hooks/<name>.js --agent=<id>`) only where the monitor cannot answer;
// elsewhere that entry alone. On Windows that entry as the shell the agent runs hook lines in there reads it
// (./windows-hook.ts, the agent's `windows`).
import type { AgentAdapter, AgentBinding } from '../../agents/agent.js';
import { HOOKS_BY_NAME, type HookName } from '../../hooks/events/events.js';
import { GIT_ONLY_FLAG } from '../../hooks/unguarded-hooks.js';
import { shellQuote } from '../paths.js';
import { hookScript, nodeLine, packageFile, perlFirst } from './command-hook.js';
import { encodedPowershell, powershellLine } from './windows-hook.js';
import { SOCKET_POST, SOCKET_WAIT_S, type FlatHandler, type HookEntry, type SettingsHook } from './settings.js';

/** What the node hook is left of a hook's timeout once the monitor had its wait, in seconds. */
const NODE_SHARE_S = 3;
/** The longest a tool call or a prompt waits for the monitor: it answers in milliseconds unless it fetches. */
const MAX_WAIT_S = 2;

function isHookName(name: string): name is HookName {
  return name in HOOKS_BY_NAME;
}

/** Where the monitor of the installing person's state directory answers without a token, and what it guards. */
export interface AgentSocket {
  /** The monitor's Unix socket, where the state directory's path leaves room for one. */
  socket?: string | undefined;
  /** A guard is configured: every call is handed on before it runs. */
  guarded: boolean;
}

export interface AgentHookTargets {
  node: string;
  root: string;
  /** Unknown (a preview without settings): every before-call hook kept, in the node form. */
  served?: AgentSocket | undefined;
  /** The platform the hooks are written for (this one unless a test says). */
  platform?: NodeJS.Platform;
}

/**
 * Whether the binding is the call's before-hook with nothing to do when no guard is on: the agent's model reads no
 * context given before a call (Gemini CLI, Qwen Code), so only a decision could count there, and the reminder comes
 * after the call.
 */
const idleBeforeCall = (agent: AgentAdapter, b: AgentBinding, served: AgentSocket | undefined): boolean =>
  served !== undefined && !served.guarded && b.hooks.includes('pre-tool-use') && !agent.reach(b.event).context;

/** One hook of another agent handed to the monitor over the home's socket; each path a shell word already. */
export interface AgentSocketHook {
  node: string;
  script: string;
  /** SOCKET_POST of this taskhooks. */
  post: string;
  name: string;
  socket: string;
  agent: string;
  /** Its own name of the event, for an agent whose input does not name it (Copilot CLI's). */
  agentEvent?: string | undefined;
  /** Seconds the monitor may take before the node hook answers instead. */
  wait: number;
  /** Only an input that names git is handed on: any other ends in the client at once, saying nothing. */
  gitOnly: boolean;
}

/**
 * The shell of a socket-first hook of another agent: the agent runs a shell per hook whoever answers, and this one
 * becomes the perl client (`exec`), which hands the input to the node hook itself where the monitor cannot answer, so
 * a call costs one process, as a stub's `cat` does. $PPID is the agent that runs the shell: the monitor cannot find
 * it among its own ancestors. A machine without perl gets the node hook, which also decides a guard's call.
 */
export function agentSocketCommand(w: AgentSocketHook): string {
  const hook = `${w.node} ${w.script} --agent=${w.agent}${w.agentEvent ? ` --event=${w.agentEvent}` : ''}`;
  const only = w.gitOnly ? ` ${GIT_ONLY_FLAG}` : '';
  const event = w.agentEvent ? ` ${w.agentEvent}` : '';
  return perlFirst(`${w.post}${only} ${w.wait} ${w.socket} ${w.name} "$PPID" ${w.agent}${event}`, hook);
}

/** The shell of one hook: the socket first where there is one, else the node hook; on Windows the node hook alone. */
function hookCommand(agent: AgentAdapter, b: AgentBinding, name: HookName, t: AgentHookTargets): string {
  const platform = t.platform ?? process.platform;
  const file = packageFile(t.root, hookScript(name), platform);
  const agentEvent = agent.format === 'copilot' ? b.event : undefined;
  const named = [`--agent=${agent.id}`, ...(agentEvent ? [`--event=${agentEvent}`] : [])];
  if (platform === 'win32') {
    const line = powershellLine([t.node, file, ...named]);
    return agent.windows.runs === 'cmd' ? encodedPowershell(line) : line;
  }
  const node = shellQuote(t.node);
  const script = shellQuote(file);
  const socket = t.served?.socket;
  if (!socket) return nodeLine(t.node, `${node} ${script} ${named.join(' ')}`);
  const timeout = HOOKS_BY_NAME[name].timeout;
  return agentSocketCommand({
    node,
    script,
    post: shellQuote(`${t.root}/${SOCKET_POST}`),
    name,
    socket: shellQuote(socket),
    agent: agent.id,
    agentEvent,
    // SessionStart's node hook also starts the monitor: it is not kept waiting on one that is slow to answer.
    wait:
      name === 'session-start' ? SOCKET_WAIT_S : Math.max(SOCKET_WAIT_S, Math.min(MAX_WAIT_S, timeout - NODE_SHARE_S)),
    // With no guard on, a call before it runs matters only when it commits or pushes (the reminder).
    gitOnly: name === 'pre-tool-use' && !t.served?.guarded,
  });
}

/** The agent's events, each with one group of hooks (Copilot CLI: one handler). */
export function desiredAgentHooks(agent: AgentAdapter, t: AgentHookTargets): Record<string, HookEntry> {
  const windows = (t.platform ?? process.platform) === 'win32';
  return Object.fromEntries(
    agent.bindings
      .filter((b) => !idleBeforeCall(agent, b, t.served))
      .map((b) => {
        const hooks = b.hooks.filter(isHookName).map(
          (name): SettingsHook => ({
            type: 'command',
            command: hookCommand(agent, b, name, t),
            timeout: (HOOKS_BY_NAME[name].timeout * 1000) / agent.timeoutUnitMs,
            ...(windows ? agent.windows.select : {}),
          }),
        );
        const entry =
          agent.format === 'copilot' ? flatHandler(hooks[0], b.event, windows) : { matcher: b.matcher, hooks };
        return [b.event, entry];
      }),
  );
}

/** Copilot CLI's handler of one command (the event already named in it): its `powershell` line on Windows. */
function flatHandler(hook: SettingsHook | undefined, event: string, windows: boolean): FlatHandler {
  if (hook?.type !== 'command') throw new Error(`a Copilot CLI binding of ${event} runs no command`);
  return { type: 'command', [windows ? 'powershell' : 'bash']: hook.command, timeoutSec: hook.timeout };
}
