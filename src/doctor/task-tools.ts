// doctor's `task tools` step: where Claude Code's sessions in this project get the built-in store's tools (the
// project's local scope of the person's own ~/.claude.json), whether that entry names the endpoint as it is, and
// whether the store server answers the very credential a session sends.
import { existsSync } from 'node:fs';
import { currentEndpoint } from '../home/endpoint.js';
import { readLiveOwner } from '../home/lock.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';
import { claudeJsonFile, localServers, readClaudeJsonValue } from '../install/claude-json.js';
import { committedText } from '../install/git-ignore.js';
import { readJsonDoc, type JsonObject } from '../install/json-doc.js';
import { hasTaskhooksServer, isTaskhooksLocalEntry, type LocalHttpServer } from '../install/mcp-json.js';
import { mcpJsonFile } from '../install/paths.js';
import type { DoctorRun } from './step.js';
import { step } from './step.js';
import { StepFailure } from './step-failure.js';

const PROBE_MS = 3000;
const INSTALL_FIX = 'point it at the monitor: `taskhooks install` in this project, then restart its sessions';

/** taskhooks' entry of an earlier install in .mcp.json, and whether git's HEAD holds it (then it is the person's). */
async function mcpJsonEntry(projectRoot: string): Promise<'committed' | 'present' | undefined> {
  const file = mcpJsonFile(projectRoot);
  if (!existsSync(file)) return undefined;
  let value: JsonObject;
  try {
    value = readJsonDoc(file).value;
  } catch {
    return undefined; // the config step names a broken .mcp.json
  }
  if (!hasTaskhooksServer(value)) return undefined;
  const committed = await committedText(file);
  try {
    return committed !== undefined && hasTaskhooksServer(JSON.parse(committed) as JsonObject) ? 'committed' : 'present';
  } catch {
    return 'present';
  }
}

/** Asks the store server for its tools the way a session does; the tool names, or what went wrong. */
async function probe(entry: LocalHttpServer): Promise<string[]> {
  const res = await fetch(entry.url, {
    method: 'POST',
    headers: {
      authorization: entry.headers.Authorization,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    signal: AbortSignal.timeout(PROBE_MS),
  });
  if (res.status === 401)
    throw new StepFailure(`the store server refuses the token of the task tools' entry (${res.status})`, INSTALL_FIX);
  if (!res.ok)
    throw new StepFailure(`the store server answered HTTP ${res.status} to a session's tools/list`, INSTALL_FIX);
  const body = (await res.json()) as { result?: { tools?: Array<{ name?: unknown }> } };
  return (body.result?.tools ?? []).map((t) => String(t.name));
}

async function taskToolsRoute(run: DoctorRun, projectRoot: string): Promise<string> {
  const { settings } = run.args.loaded;
  const old = await mcpJsonEntry(projectRoot);
  if (old === 'committed')
    throw new StepFailure(
      `${mcpJsonFile(projectRoot)} is committed with a "taskhooks" server that names one machine's port: every clone's sessions try it and get no tools`,
      'remove its "taskhooks" entry and commit; `taskhooks install` gives each person the tools in their own ~/.claude.json',
    );
  const entry = localServers(readClaudeJsonValue(run.args.env), projectRoot)?.[MCP_SERVER_NAME];
  if (entry === undefined) {
    if (old === 'present')
      throw new StepFailure(
        `the task tools come from .mcp.json, as an earlier version wrote them: a session in a folder never trusted gets none, after 1.5 s of OAuth probing`,
        'move them into your own ~/.claude.json: `taskhooks install` in this project',
      );
    return `none for this project in ${claudeJsonFile(run.args.env)} (\`taskhooks install\` adds them)`;
  }
  if (!isTaskhooksLocalEntry(entry)) return `a "taskhooks" server of your own in ${claudeJsonFile(run.args.env)}`;
  const endpoint = currentEndpoint(settings.home, settings.monitor);
  const port = Number(new URL(entry.url).port);
  if (port !== endpoint.storePort || entry.headers.Authorization !== `Bearer ${endpoint.storeToken}`)
    throw new StepFailure(
      `the task tools' entry names 127.0.0.1:${port}${port === endpoint.storePort ? ' with an old token' : `, where the store server no longer serves (it serves ${endpoint.storePort})`}: sessions here get no task tools`,
      INSTALL_FIX,
    );
  if (!readLiveOwner(settings.home))
    return `127.0.0.1:${port} in ${claudeJsonFile(run.args.env)}; the monitor is not running, so the next session starts it (tools from its second request on)`;
  const tools = await probe(entry);
  if (!tools.includes('manage_task'))
    throw new StepFailure(
      `the store server lists no manage_task (it lists ${tools.join(', ') || 'nothing'})`,
      INSTALL_FIX,
    );
  return `the store server on 127.0.0.1:${port} answers a session's token with ${tools.length} tools (from ${claudeJsonFile(run.args.env)}, this project's local scope)`;
}

/** Where Claude Code's sessions get the task tools, checked with the credential they send. */
export async function taskToolsStep(run: DoctorRun, projectRoot: string): Promise<void> {
  if (run.args.loaded.settings.source.plan.kind !== 'embedded') return;
  await step(run.steps, 'task tools (Claude Code)', 'the task tools', () => taskToolsRoute(run, projectRoot));
}
