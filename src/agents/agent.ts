// What taskhooks must know of a coding agent to serve it with the one set of event functions: which of its events
// runs which hook entry, how its hook input and tools map onto Claude Code's (the shape the events read), what its
// answer must look like, what an answer at each of its events can reach, and where its hook configuration lives.
// Claude Code's shape is the common one: the events speak it, and each other agent is translated at the edge.
import { readerNow, shownPath } from '../util/shown.js';

/** The task tools' server's name in every agent's configuration, and in the plugin's manifest. */
export const MCP_SERVER_NAME = 'taskhooks';

export const AGENT_IDS = ['claude', 'codex', 'gemini', 'qwen', 'copilot', 'opencode'] as const;
export type AgentId = (typeof AGENT_IDS)[number];

/** One registration in the agent's configuration: the agent's event runs hook entries (dist/hooks/<hook>.js). */
export interface AgentBinding {
  /** The agent's own name of the event, the key in its configuration. */
  event: string;
  /** Which calls it runs for ('' is every one), in the agent's own tool names. */
  matcher: string;
  /** taskhooks' entries it runs, by name (`pre-tool-use`). */
  hooks: readonly string[];
}

/** What an answer at one of the agent's events can do: put text before the model, or decide on a tool call. */
export interface Reach {
  context: boolean;
  decision: boolean;
}

/** The answer the events produce, in Claude Code's shape. */
export interface CommonOutput {
  hookSpecificOutput: {
    hookEventName: string;
    additionalContext?: string;
    permissionDecision?: 'allow' | 'deny' | 'ask';
    permissionDecisionReason?: string;
  };
}

export type ConfigScope = 'project' | 'local' | 'user';

/** What a hook run needs of its agent: the translation both ways and what an answer can reach (the hot path). */
export interface AgentHooks {
  id: AgentId;
  /** How a person names it: "held by a Codex session". */
  label: string;
  /** The input the agent sent, in Claude Code's shape (a copy; what it cannot map is left as it came). */
  toCommon(raw: Record<string, unknown>): Record<string, unknown>;
  /** The answer as the agent reads it, for its event `agentEvent`; null: nothing to print. */
  fromCommon(output: CommonOutput, agentEvent: string): Record<string, unknown> | null;
  /** What an answer at `agentEvent` reaches (the model, a decision on the call). */
  reach(agentEvent: string): Reach;
  /**
   * The agent's process among a hook's ancestors, by its command name, where the agent runs under a name that is
   * also a wrapper's (`node`); none: the nearest ancestor that is no wrapper.
   */
  processName?: string;
}

/** Where the agent takes MCP servers, so install can offer it the task tools of taskhooks' embedded store. */
export interface AgentMcp {
  /** The file that held its servers when its hooks went to `scope` (an earlier install's place, taken out of now). */
  file(scope: ConfigScope, projectDir: string, env: NodeJS.ProcessEnv): string;
  /**
   * The user's own file of servers, never committed, where install puts the task tools: one entry serves every
   * project, so only `uninstall --scope user` or the last project's uninstall takes it out.
   */
  userFile(env: NodeJS.ProcessEnv): string;
  /** `file` is `userFile` for every scope (Copilot CLI's mcp-config.json). */
  userLevel: boolean;
  /** Its entry for a server it starts as `command args`. */
  entry(command: string, args: readonly string[]): Record<string, unknown>;
  /** Its entry for the monitor's store server at `url`, sending `Authorization: <authorization>` on every request. */
  httpEntry(url: string, authorization: string): Record<string, unknown>;
  /** That file is TOML (Codex's config.toml, the entry its `[mcp_servers.taskhooks]` table), not JSON. */
  format?: 'toml';
  /** The key of its table of servers where it is not `mcpServers` (`mcp_servers` in TOML): OpenCode's `mcp`. */
  table?: string;
}

/** Where a JSON file of MCP servers keeps them, unless its agent says otherwise (`.mcp.json`'s key). */
export const MCP_SERVERS_KEY = 'mcpServers';

/** The key under which the agent's file holds its servers, taskhooks' among them. */
export function serversKey(mcp: Pick<AgentMcp, 'format' | 'table'>): string {
  return mcp.table ?? (mcp.format === 'toml' ? 'mcp_servers' : MCP_SERVERS_KEY);
}

/** What a write of a local task tools' entry did: 'created' and 'deleted' made or removed the file itself. */
export type LocalServerOutcome = 'created' | 'set' | 'removed' | 'deleted' | 'unchanged' | 'foreign';

/**
 * Where an agent's sessions get the task tools from a per-project entry in a file of the person's own (Claude Code's
 * local scope of ~/.claude.json), kept by the agent's own rules: install, uninstall, doctor and the endpoint's moves
 * ask it, never its file.
 */
export interface AgentLocalTools {
  /** The file as help and messages name it, in the reader's words. */
  readonly shown: string;
  file(env: NodeJS.ProcessEnv): string;
  /** The project's `taskhooks` entry, read without a lock; a file that cannot be read throws its fix. */
  entry(env: NodeJS.ProcessEnv, project: string): unknown;
  /** Whether an entry is the store server's as install writes it. */
  isOwn(entry: unknown): boolean;
  /** The entry install writes for the store server on `port` with `token`. */
  storeEntry(store: { port: number; token: string }): Record<string, unknown>;
  /**
   * Sets (or, with `entry` undefined, takes out) the project's entry where there is none or `mine` says the present
   * one is taskhooks'; 'foreign' leaves a server of the person's alone. Backups of the file go to `stateBackups`.
   */
  set(
    env: NodeJS.ProcessEnv,
    project: string,
    change: { entry: Record<string, unknown> | undefined; stateBackups: string },
    mine: (present: unknown) => boolean,
  ): LocalServerOutcome;
  /** The project's entry install wrote, pointed at the store server's new port and token; whether it changed. */
  repoint(
    env: NodeJS.ProcessEnv,
    project: string,
    store: { port: number; token: string },
    stateBackups: string,
  ): boolean;
}

/** Where the agent's hook configuration lives and what install writes there (install, uninstall, doctor). */
export interface AgentConfig {
  /** The agent's events taskhooks registers for, one each, with their entries; the order install writes them in. */
  bindings: readonly AgentBinding[];
  /** The unit of a hook's `timeout` in the agent's configuration, in milliseconds (1000: seconds). */
  timeoutUnitMs: number;
  /** The scopes its configuration has, the first being install's default. */
  scopes: readonly ConfigScope[];
  /** The folder its user-scope configuration must stay inside (the home, or the agent's own home). */
  userRoot(env: NodeJS.ProcessEnv): string;
  /** The file holding its hooks for a scope; `env` for the home and the agent's own home variable. */
  configFile(scope: ConfigScope, projectDir: string, env: NodeJS.ProcessEnv): string;
  /** Whether the agent has a channel that wakes an idle session (Claude Code's asyncRewake or plugin monitor). */
  idleWake: boolean;
  /** Where it takes MCP servers, when install writes them (Claude Code's go to the project's .mcp.json instead). */
  mcp?: AgentMcp;
  /** Where its sessions get the task tools of the built-in store per project, when that is no `mcp` file. */
  localTools?: AgentLocalTools;
  /**
   * Its hooks file's own format, where it is not a Claude Code settings file's: Copilot CLI's `{version, hooks}` of
   * handlers without matcher groups, each naming its event in `--event=`.
   */
  format?: 'copilot';
  /** How `install --agent all` tells the agent is on this machine: its command on the PATH, or a folder of its own. */
  presence?: { command: string; dirs(env: NodeJS.ProcessEnv): string[] };
  /** Where the agent loads taskhooks' plugin from its configuration file instead of running hooks (OpenCode). */
  plugin?: AgentPlugin;
}

/** The `plugin` list entry install writes: the built plugin by file URL, with the node that runs taskhooks. */
export interface PluginWiring {
  plugin: [string, { node: string }];
}

/** A list under `key` of a configuration, or install's refusal naming the fix where it is no list. */
export type ListAt = (value: Record<string, unknown>, key: string) => unknown[] | undefined;

/**
 * An agent's plugin as install writes it, uninstall takes it out and doctor counts it: install, uninstall and doctor
 * ask this, never the agent's file.
 */
export interface AgentPlugin {
  /** The built plugin the agent loads, from taskhooks' package folder: install refuses a checkout without it. */
  script: string;
  /** The entry for this taskhooks (its package folder `root`) run by `node`. */
  wiring(node: string, root: string): PluginWiring;
  /** Whether a configuration loads a taskhooks plugin: the project or user is wired for the agent. */
  loads(config: Record<string, unknown>): boolean;
  /** The configuration with taskhooks' plugin set to `wiring`; the agent's other plugins and keys keep their place. */
  withWiring(config: Record<string, unknown>, wiring: PluginWiring, listAt: ListAt): Record<string, unknown>;
  /** The configuration with taskhooks' plugin taken out. */
  without(config: Record<string, unknown>): Record<string, unknown>;
  /** How many entries of a configuration load a taskhooks plugin: each loads it once more. */
  count(config: Record<string, unknown>): number;
}

/** An agent's answer on whether it runs the hooks install wrote: yes or no with why, or why it cannot tell. */
export type Approval = { approved: true; detail: string } | { approved: false; detail: string } | { unknown: string };

/**
 * taskhooks' own reading of the wiring install writes (src/install), handed to an agent's checks by doctor: an agent
 * folder sits below install, so install's knowledge of its own entries is passed in, not imported.
 */
export interface WiringJudge {
  /** The JSON object a config file holds ({} when there is none); a file that cannot be read throws its fix. */
  readJson(file: string): Record<string, unknown>;
  /** Whether a hook handler is one of taskhooks' (it names its scripts or its served route). */
  isTaskhooksHandler(handler: unknown): boolean;
  /** Whether a hook command is this taskhooks' own: its node, its package's scripts. */
  isOwnHookCommand(command: string): boolean;
  /** Whether `node` is the node this taskhooks runs on. */
  isOwnNode(node: unknown): boolean;
  /** What is not this taskhooks' own of a task tools' server entry under its name; none: it is its own. */
  foreignServer(entry: unknown): { detail: string } | undefined;
  /** This taskhooks' package folder (its dist/ holds the hooks and plugins install names). */
  root: string;
}

/** What doctor asks an agent of the wiring install wrote for a project, in the agent's configuration `file`. */
export interface ApprovalAsk {
  projectRoot: string;
  env: NodeJS.ProcessEnv;
  file: string;
  judge: WiringJudge;
}

/** Where install wrote an agent's hooks, for the line on how the user lets the agent run them. */
export interface ApprovalPlace {
  dir: string;
  scope: ConfigScope;
  file: string;
}

/** How the agent lets taskhooks' hooks run: doctor's check and install's closing line. */
export interface AgentApproval {
  /** The agent's own word, or its trust file's, on whether it runs the hooks install wrote (OpenCode: its plugin). */
  approval(ask: ApprovalAsk): Approval | Promise<Approval>;
  /**
   * The one line on how the user lets the agent run what install wrote; none where it runs them as they are.
   * `forDoctor`: the line as doctor's own fix, which cannot send the reader back to doctor to check.
   */
  approvalLine(at: ApprovalPlace, forDoctor: boolean): string | undefined;
}

/**
 * How the agent runs a command hook on Windows, as its own code does (each agent's index.ts says where): `exec`
 * runs `command` + `args` with no shell; `powershell` hands the line to PowerShell, once the handler carries `select`
 * where the agent's default shell is another; `cmd` hands it to cmd.exe, which cannot take a quoted path as the agent
 * quotes it; `plugin`: no command hooks, the agent's plugin calls taskhooks itself.
 */
export interface WindowsHooks {
  runs: 'exec' | 'powershell' | 'cmd' | 'plugin';
  select?: { shell: 'powershell' };
}

/** Everything taskhooks knows of an agent: its hook side, its configuration, how it lets the hooks run. */
export type AgentAdapter = AgentHooks & AgentConfig & AgentApproval & { windows: WindowsHooks };

/**
 * How help and messages name an agent's file of `scope`: from the project's folder, or in the reader's home folder
 * (`~/…`; on Windows the real path, as shownPath shows it).
 */
export function shownFile(agent: Pick<AgentConfig, 'configFile'>, scope: ConfigScope, reader = readerNow()): string {
  return shownPath(agent.configFile(scope, '', { HOME: reader.homedir, USERPROFILE: reader.homedir }), reader);
}

/** The sentence that sends a reader to doctor, left out where the line is doctor's own fix. */
export const doctorTells = (forDoctor: boolean, line: string): string => (forDoctor ? '' : line);

export const FULL_REACH: Reach = { context: true, decision: true };
/** Before a tool call, where an agent's model reads no context: only a decision counts. */
export const BEFORE_CALL: Reach = { context: false, decision: true };
/** After a tool call: a context still reaches the model beside the result; a decision comes too late. */
export const AFTER_CALL: Reach = { context: true, decision: false };

/** `--event=<name>` among a hook's arguments: the agent's event, for an agent whose input does not name it. */
export function eventArgument(argv: readonly string[]): string | undefined {
  return argv.find((a) => a.startsWith('--event='))?.slice('--event='.length) || undefined;
}

/** `--agent=<id>` among a hook's arguments: which agent ran it (Claude Code's entries carry none). */
export function agentArgument(argv: readonly string[]): AgentId | undefined {
  const arg = argv.find((a) => a.startsWith('--agent='));
  const id = arg?.slice('--agent='.length);
  return AGENT_IDS.find((a) => a === id);
}
