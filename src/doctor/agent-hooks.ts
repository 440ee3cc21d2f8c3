// Whether the other agents will run the hooks install wrote for them: where each agent's configuration holds
// taskhooks' hooks, and whether the agent lets them run (Gemini CLI's and Qwen Code's trusted folders in
// `folder-trust.ts`, Copilot CLI's in `copilot-trust.ts`, OpenCode's plugin in `opencode.ts`). Codex runs a hook only
// once the user trusted its current hash; it says so itself through `codex app-server` (`hooks/list`), which is asked
// rather than its config.toml read, so the answer is Codex's own (a hook changed since it was trusted is "modified").
import { spawn } from 'node:child_process';
import { AGENTS, type AgentAdapter, type ConfigScope } from '../agents/index.js';
import type { Approval } from './approval.js';
import { copilotApproval } from './copilot-trust.js';
import { geminiApproval, qwenApproval } from './folder-trust.js';
import { opencodeReadiness } from './opencode.js';
import { readJsonDoc } from '../install/json-doc.js';
import { hasTaskhooksHooks, isTaskhooksHandler } from '../install/settings.js';
import { hasOpencodeWiring } from '../install/opencode-json.js';
import { findOnPath } from '../util/executable.js';
import { isJsonObject } from '../util/object.js';
import { packageRoot } from '../util/package.js';
import { isOwnHookCommand, notOwnHooks } from '../install/own-wiring.js';
import { isTaskhooksServer } from '../install/mcp-json.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';

/** How long Codex may take to start its app server and list the hooks. */
const CODEX_ASK_MS = 15_000;

export interface AgentInstallation {
  agent: AgentAdapter;
  scope: ConfigScope;
  file: string;
}

/** The files of the other agents that hold taskhooks' wiring for this project (project scope, then user). */
export function agentInstallations(projectRoot: string, env: NodeJS.ProcessEnv): AgentInstallation[] {
  return Object.values(AGENTS)
    .filter((agent) => agent.id !== 'claude')
    .flatMap((agent) =>
      agent.scopes.flatMap((scope) => {
        const file = agent.configFile(scope, projectRoot, env);
        try {
          const { value } = readJsonDoc(file);
          return hasTaskhooksHooks(value) || hasOpencodeWiring(value) || opencodeServer(agent, value)
            ? [{ agent, scope, file }]
            : [];
        } catch {
          // A file the agent cannot read either: its own doctor says why; here it holds no hook that runs.
          return [];
        }
      }),
    );
}

/**
 * A server under taskhooks' name in OpenCode's opencode.json that taskhooks did not write: its plugin's row names it.
 * taskhooks' own entry counts not (in the user's own file it serves every project, the task tools row's question),
 * nor does any other agent's server: a file counts by its hooks.
 */
const opencodeServer = (agent: AgentAdapter, value: Record<string, unknown>): boolean =>
  agent.id === 'opencode' &&
  isJsonObject(value.mcp) &&
  value.mcp[MCP_SERVER_NAME] !== undefined &&
  !isTaskhooksServer(value.mcp[MCP_SERVER_NAME]);

/**
 * The hooks of an agent's file that pass for taskhooks' (they name its scripts) but are not this taskhooks' own (at
 * `root`). A server under its name is the task tools row's question (./task-tools.ts); OpenCode's plugin has a step of
 * its own.
 */
export function notOwnWiring(a: AgentInstallation, root: string) {
  const problems = notOwnHooks(readJsonDoc(a.file).value, root).map((h) => `${a.file}: ${h}`);
  return problems.length === 0 ? undefined : { detail: problems.join('; '), written: true };
}

/** Codex's own word on taskhooks' hooks for `projectRoot`: trusted, or which need review. */
export async function codexApproval(
  projectRoot: string,
  env: NodeJS.ProcessEnv,
  root = packageRoot(),
): Promise<Approval> {
  const codex = findOnPath('codex', env);
  if (!codex) return { unknown: 'cannot tell: `codex` is not on the PATH to ask' };
  const listed = await listCodexHooks(codex, projectRoot, env);
  if (typeof listed === 'string') return { unknown: `cannot tell: ${listed}` };
  const ours = listed.filter((h) => isTaskhooksHandler({ type: 'command', command: h.command }));
  const foreign = ours.find((h) => !isOwnHookCommand(h.command, root));
  if (foreign)
    return { approved: false, detail: `Codex runs ${foreign.command}, which is not taskhooks' own hook command` };
  if (ours.length === 0) return { approved: false, detail: "Codex lists none of taskhooks' hooks for this folder" };
  const waiting = ours.filter((h) => h.trustStatus !== 'trusted');
  if (waiting.length === 0) return { approved: true, detail: `Codex trusts all ${ours.length} of taskhooks' hooks` };
  const states = [...new Set(waiting.map((h) => h.trustStatus))].join(', ');
  return {
    approved: false,
    detail: `${waiting.length} of ${ours.length} of taskhooks' hooks need review in Codex (${states})`,
  };
}

interface CodexHook {
  command: string;
  trustStatus: string;
}

/** `hooks/list` over the app server's JSON lines on stdio; a string says why there is no answer. */
function listCodexHooks(codex: string, cwd: string, env: NodeJS.ProcessEnv): Promise<CodexHook[] | string> {
  return new Promise((resolve) => {
    const child = spawn(codex, ['app-server'], { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
    let buffer = '';
    const done = (answer: CodexHook[] | string): void => {
      clearTimeout(timer);
      child.kill();
      resolve(answer);
    };
    const timer = setTimeout(
      () => done(`codex app-server did not list its hooks within ${CODEX_ASK_MS / 1000} s`),
      CODEX_ASK_MS,
    );
    child.on('error', (err) => done(`cannot run ${codex} (${err.message})`));
    child.on('exit', (code) => done(`codex app-server exited (${code}) before listing its hooks`));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        const hooks = hooksOf(line);
        if (hooks) return done(hooks);
      }
    });
    const send = (message: object): boolean => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'taskhooks', version: '1' } } });
    send({ method: 'initialized' });
    send({ id: 2, method: 'hooks/list', params: { cwds: [cwd] } });
  });
}

/** The hooks of the `hooks/list` answer on this line, or undefined when the line is anything else. */
function hooksOf(line: string): CodexHook[] | undefined {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isJsonObject(message) || message.id !== 2 || !isJsonObject(message.result)) return undefined;
  const data = Array.isArray(message.result.data) ? message.result.data : [];
  return data.flatMap((entry: unknown) =>
    isJsonObject(entry) && Array.isArray(entry.hooks)
      ? entry.hooks.flatMap((h: unknown) =>
          isJsonObject(h) && typeof h.command === 'string'
            ? [{ command: h.command, trustStatus: String(h.trustStatus ?? 'unknown') }]
            : [],
        )
      : [],
  );
}

/**
 * The agent's own word, or its trust file's, on whether it runs the hooks of `projectRoot`; for OpenCode, whether the
 * plugin and server its `file` names are still there.
 */
export async function agentApproval(
  agent: AgentAdapter,
  projectRoot: string,
  env: NodeJS.ProcessEnv,
  file = agent.configFile(agent.scopes[0] ?? 'project', projectRoot, env),
): Promise<Approval> {
  switch (agent.id) {
    case 'codex':
      return codexApproval(projectRoot, env);
    case 'gemini':
      return geminiApproval(projectRoot, env);
    case 'qwen':
      return qwenApproval(projectRoot, env);
    case 'copilot':
      return copilotApproval(projectRoot, env);
    case 'opencode':
      return opencodeReadiness(file);
    case 'claude':
      return { approved: true, detail: 'Claude Code runs the hooks of its settings as they are' };
  }
}
