// Whether an entry is taskhooks' own, as doctor judges it before it vouches for one: exactly the command install
// writes, with this taskhooks' built files and the node it runs on. Install itself recognises any taskhooks' entries
// loosely (an older checkout's, a moved node's), to replace or take them out; a look-alike that runs something else
// must never be reported ready.
import { realpathSync } from 'node:fs';
import type { WiringJudge } from '../agents/agent.js';
import { HOOK_NAMES } from '../hooks/events/events.js';
import { isJsonObject } from '../util/object.js';
import { argvOf, cliScript, isTaskhooksServer } from './writing/mcp-json.js';
import { describeEntry } from './planning/refusals.js';
import { type JsonObject, readJsonDoc } from '../files/json-doc.js';
import {
  execArgs,
  handlerLine,
  handlersOf,
  isTaskhooksHandler,
  SOCKET_POST,
  type SocketFirst,
  socketFirstCommand,
} from './writing/settings.js';
import { MONITOR_LATE_ENV } from '../home/monitor-late.js';
import { powershellWords } from './writing/windows-hook.js';
import { samePath } from '../util/windows-path.js';
import { ABSOLUTE_PATH_FIRST, ASK_MONITOR_ARG, hookScript, packageFile } from './writing/command-hook.js';
import { agentSocketCommand } from './writing/agent-hooks.js';
import { GIT_ONLY_FLAG } from '../hooks/unguarded-hooks.js';
import { installNode, isGoneNode, PATH_NODE, versionManagerOf } from './hook-node.js';

/** One word as shellQuote writes it: double quotes around it, `"`, `\`, `$` and backquote escaped inside. */
const QUOTED = '"(?:[^"\\\\$`]|\\\\["\\\\$`])*"';
const PLAIN = new RegExp(`^(${QUOTED}) (${QUOTED})(?: --agent=[a-z]+(?: --event=[A-Za-z]+)?)?$`);
/** What the socket-first lines start with, as a pattern: the PATH kept to its absolute entries, then perl's. */
const PERL_FIRST = `^${ABSOLUTE_PATH_FIRST.replace(/[$^*+?.()|[\]{}\\]/g, '\\$&')}command -v perl >/dev/null && exec perl`;
/** Claude Code's socket-first hook: the perl client the shell becomes, the node hook behind it. */
const SOCKET_FIRST = new RegExp(
  `${PERL_FIRST} (${QUOTED}) ([0-9.]+) (${QUOTED}) ([a-z-]+) "\\$PPID" ` +
    `-- (${QUOTED}) (${QUOTED})( ${ASK_MONITOR_ARG})?; exec `,
);
/**
 * Claude Code's socket-first hook as install wrote it until the shell became perl (0.1.0 among them): the input read
 * by `cat`, then piped to perl and, where the monitor gave no answer, to node. Install replaces it; until then it is
 * still this taskhooks' own.
 */
const EARLIER_SOCKET_FIRST = new RegExp(
  `\\| perl (${QUOTED}) ([0-9.]+) (${QUOTED}) ([a-z-]+) "\\$PPID" 2>/dev/null\\); then .*\\| (${QUOTED}) (${QUOTED})( ${ASK_MONITOR_ARG})?; fi$`,
);
function earlierSocketFirst(w: Required<SocketFirst>): string {
  const post = `perl ${w.post} ${w.wait} ${w.socket} ${w.name} "$PPID" 2>/dev/null`;
  return (
    `i=$(cat); if o=$(printf '%s' "$i" | ${post}); then printf '%s' "$o"; ` +
    `else [ $? = 7 ] || export ${MONITOR_LATE_ENV}=1; printf '%s' "$i" | ${w.node} ${w.script}${w.askMonitor ? ` ${ASK_MONITOR_ARG}` : ''}; fi`
  );
}
/** Another agent's socket-first hook: the perl client the shell becomes, the node hook behind it. */
const AGENT_SOCKET = new RegExp(
  `${PERL_FIRST} (${QUOTED})( ${GIT_ONLY_FLAG})? ([0-9.]+) (${QUOTED}) ([a-z-]+) ` +
    `"\\$PPID" ([a-z]+)(?: ([A-Za-z]+))? -- (${QUOTED}) (${QUOTED}) `,
);
const REWAKE = new RegExp(
  `^\\[ "\\$CLAUDE_CODE_SESSION_ATTENDED" = 0 \\] \\|\\| (${QUOTED}) (${QUOTED}) watch --rewake$`,
);

const unquote = (word: string): string => word.slice(1, -1).replace(/\\(["\\$`])/g, '$1');

function realOf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * The node install writes now, or another name of the one taskhooks runs on; never a version manager's versioned
 * folder, which an upgrade removes (hook-node.ts).
 */
export function isOwnNode(node: unknown): boolean {
  if (typeof node !== 'string') return false;
  if (node === installNode()) return true;
  if (node === PATH_NODE || versionManagerOf(node) !== undefined) return false;
  return realOf(node) === realOf(process.execPath);
}

const isHookScript = (script: string, root: string): boolean =>
  HOOK_NAMES.some((name) => script === `${root}/dist/hooks/${name}.js`);

/**
 * Whether a hook's command is one install writes for this taskhooks (`root`): its node and hook script, for another
 * agent with its `--agent` (and Copilot CLI's `--event`), a socket-first shell (Claude Code's SessionStart, Stop and
 * SessionEnd, every hook of another agent), or the idle rewake.
 */
export function isOwnHookCommand(command: string, root: string): boolean {
  const words = powershellWords(command);
  if (words) return isOwnPowershellHook(words, root);
  const plain = PLAIN.exec(command);
  if (plain) return isOwnNode(unquote(plain[1] ?? '')) && isHookScript(unquote(plain[2] ?? ''), root);
  const rewake = REWAKE.exec(command);
  if (rewake) return isOwnNode(unquote(rewake[1] ?? '')) && unquote(rewake[2] ?? '') === `${root}/dist/cli.js`;
  const parts = socketParts(command);
  return (
    parts !== undefined &&
    isOwnNode(unquote(parts.node)) &&
    isHookScript(unquote(parts.script), root) &&
    unquote(parts.post) === `${root}/${SOCKET_POST}`
  );
}

/**
 * A socket-first command's parts, each a shell word as written, when writing them again gives the command back
 * (anything added anywhere makes another command): Claude Code's SessionStart, Stop or SessionEnd, or another
 * agent's hook.
 */
function socketParts(command: string): { post: string; socket: string; node: string; script: string } | undefined {
  for (const [pattern, write] of [
    [SOCKET_FIRST, socketFirstCommand],
    [EARLIER_SOCKET_FIRST, earlierSocketFirst],
  ] as const) {
    const first = pattern.exec(command);
    if (!first) continue;
    const [, post = '', wait = '', socket = '', name = '', node = '', script = '', ask] = first;
    const again = write({ node, script, post, name, socket, wait: Number(wait), askMonitor: !!ask });
    return again === command ? { post, socket, node, script } : undefined;
  }
  const agent = AGENT_SOCKET.exec(command);
  if (!agent) return undefined;
  const [, post = '', only, wait = '', socket = '', name = '', id = '', agentEvent, node = '', script = ''] = agent;
  const w = {
    node,
    script,
    post,
    name,
    socket,
    agent: id,
    agentEvent,
    wait: Number(wait),
    gitOnly: only !== undefined,
  };
  return agentSocketCommand(w) === command ? { post, socket, node, script } : undefined;
}

/**
 * Whether an exec-form hook (Windows') is one install writes for this taskhooks: its node running one hook script of
 * `root` (SessionStart's asking the monitor first), or the idle rewake.
 */
export function isOwnExecHook(
  node: string,
  args: readonly string[],
  root: string,
  platform: NodeJS.Platform = process.platform,
): boolean {
  const [script = '', ...rest] = args;
  const is = (relative: string) => samePath(script, packageFile(root, relative, platform), platform);
  if (!isOwnNode(node)) return false;
  if (is('dist/cli.js')) return rest.join(' ') === 'watch --rewake';
  const flags = rest.join(' ');
  return (flags === '' || flags === ASK_MONITOR_ARG) && HOOK_NAMES.some((name) => is(hookScript(name)));
}

/** Whether a PowerShell hook line (another agent's, on Windows) runs this node on one hook script of `root`, as the agent. */
function isOwnPowershellHook([node = '', script = '', ...flags]: readonly string[], root: string): boolean {
  return (
    isOwnNode(node) &&
    HOOK_NAMES.some((name) => samePath(script, packageFile(root, hookScript(name), 'win32'), 'win32')) &&
    /^--agent=[a-z]+(?: --event=[A-Za-z]+)?$/.test(flags.join(' '))
  );
}

/**
 * The Unix socket an own socket-first command hands its input to (its node hook answers when no monitor does), or
 * undefined for any other command: doctor says whether the monitor answers there.
 */
export function handedToSocket(command: string, root: string): string | undefined {
  const parts = socketParts(command);
  return parts && isOwnHookCommand(command, root) ? unquote(parts.socket) : undefined;
}

/** Why a hook's Node is gone, as doctor says it. */
const GONE_NODE_WHY = 'a Node upgrade or uninstall removed it';

/** The Node a taskhooks command hook runs (exec form, a PowerShell line or any shell line install writes). */
function nodeOfHook(command: string, args: readonly string[] | undefined): string | undefined {
  if (args) return command;
  const words = powershellWords(command);
  if (words) return words[0];
  const word = PLAIN.exec(command)?.[1] ?? REWAKE.exec(command)?.[1] ?? socketParts(command)?.node;
  return word === undefined ? undefined : unquote(word);
}

/**
 * The command hooks of a settings file that pass for taskhooks' (they name its hook scripts) but are not what install
 * writes for this taskhooks: each as `hooks.<event> runs …`, saying so when the Node it names is gone.
 */
export function notOwnHooks(settings: JsonObject, root: string): string[] {
  return taskhooksCommands(settings).flatMap(({ event, handler, command, args }) => {
    if (args ? isOwnExecHook(command, args, root) : isOwnHookCommand(command, root)) return [];
    const node = nodeOfHook(command, args);
    const gone = node !== undefined && isGoneNode(node) ? `, whose Node ${node} is gone (${GONE_NODE_WHY})` : '';
    return [`hooks.${event} ${describeEntry(handler)}${gone}`];
  });
}

/** The Nodes the taskhooks command hooks of a settings file name that no longer exist: each session's hooks fail. */
export function goneHookNodes(settings: JsonObject): string[] {
  const nodes = taskhooksCommands(settings).flatMap(({ command, args }) => nodeOfHook(command, args) ?? []);
  return [...new Set(nodes)].filter((node) => isGoneNode(node));
}

function taskhooksCommands(settings: JsonObject) {
  const hooks = isJsonObject(settings.hooks) ? settings.hooks : {};
  return Object.entries(hooks).flatMap(([event, groups]) =>
    (Array.isArray(groups) ? groups : []).flatMap(handlersOf).flatMap((handler) => {
      if (!isJsonObject(handler) || !isTaskhooksHandler(handler)) return [];
      const command = handlerLine(handler);
      return command === undefined ? [] : [{ event, handler, command, args: execArgs(handler) }];
    }),
  );
}

/** Why an entry under taskhooks' name is not this taskhooks' own; `written` when another taskhooks wrote it. */
export interface NotOwn {
  detail: string;
  written: boolean;
}

/**
 * Why a server under taskhooks' name is not this taskhooks' own, or undefined when it is: `taskhooks mcp` by its node
 * and this `root`'s CLI, or the monitor's store server with the state directory's token (any agent's http shape).
 */
export function foreignServer(
  entry: unknown,
  root: string,
  platform: NodeJS.Platform = process.platform,
): NotOwn | undefined {
  if (isJsonObject(entry) && (entry.type === 'http' || entry.type === 'remote') && isTaskhooksServer(entry))
    return undefined;
  const [node, script, sub, ...rest] = isJsonObject(entry) ? argvOf(entry) : [];
  const cli = cliScript(root, platform);
  const own = typeof script === 'string' && samePath(script, cli, platform);
  if (isOwnNode(node) && own && sub === 'mcp' && rest.length === 0) return undefined;
  const written = typeof script === 'string' && script.replaceAll('\\', '/').endsWith('/dist/cli.js') && sub === 'mcp';
  const detail = written
    ? `it ${describeEntry(entry)}: another taskhooks or node than this one (${process.execPath} ${cli})`
    : `it ${describeEntry(entry)}, which taskhooks did not write`;
  return { detail, written };
}

/** The fix for an entry of `agentId`'s under taskhooks' name that is not this taskhooks' own. */
export function notOwnFix(notOwn: NotOwn, agentId: string, file: string): string {
  const again = `run \`taskhooks install --agent ${agentId}\` again from the taskhooks you use`;
  return notOwn.written ? again : `remove it from ${file} or give it another name, then ${again}`;
}

/** install's own reading of its wiring, for the agents' checks that doctor runs (src/agents/agent.ts says why). */
export function ownWiringJudge(root: string): WiringJudge {
  return {
    root,
    readJson: (file) => readJsonDoc(file).value,
    isTaskhooksHandler,
    isOwnHookCommand: (command) => isOwnHookCommand(command, root),
    isOwnNode,
    foreignServer: (entry) => foreignServer(entry, root),
  };
}
