// `taskhooks install`: reads and checks the flags, calls src/install (planInstall, applyInstall) and prints.
import {
  applyInstall,
  planInstall,
  startMonitor,
  type InstallOptions,
  type MonitorState,
} from '../../install/install.js';
import { detectSource } from '../../install/detect-source.js';
import type { SettingsScope } from '../../install/paths.js';
import { AGENTS, type AgentAdapter } from '../../agents/index.js';
import { INSTALL_ADAPTERS, parseAdapter, parseServerUrl, type SourceChoice } from '../../install/project-config.js';
import type { HookTransport } from '../../install/settings.js';
import { isSourceName, SOURCE_NAMES } from '../../sources/registry.js';
import { defineCommand, quoted, UsageError } from '../args.js';
import type { CliContext, Command } from '../command.js';
import { paint, printJson, progress } from '../output.js';
import {
  agentFlag,
  appliedTable,
  parseAgent,
  parseScope,
  planFlags,
  planJson,
  printNotes,
  printPlan,
  projectDir,
  targetFlags,
} from './install-shared.js';
import { uninstallCommand } from './uninstall.js';

/**
 * The http transport's settings carry the hook token, so only the local file (never committed) takes it: the
 * committed project file keeps the mcp transport, and user settings (every project) commands, since the mcp transport
 * needs the project's .mcp.json, which they cannot count on.
 */
function parseTransport(raw: string | undefined, scope: SettingsScope | undefined): HookTransport {
  if (raw === undefined) return scope === 'user' ? 'command' : scope === 'project' ? 'mcp' : 'http';
  if (raw === 'mcp' && scope === 'user')
    throw new UsageError(
      "--transport mcp calls the server of the project's .mcp.json, which user settings cannot count on; drop --scope user, or use --transport command",
    );
  if (raw === 'mcp' || raw === 'command' || raw === 'http') return raw;
  throw new UsageError(`--transport ${quoted(raw)} is not one of mcp, command, http`);
}

/** The source from --server and --adapter, or found by --source's own detection. */
async function sourceChoice(
  flags: { server?: string | undefined; adapter?: string | undefined; source?: string | undefined },
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<SourceChoice> {
  const choice: SourceChoice = {};
  if (flags.server !== undefined) choice.server = parseServerUrl(flags.server);
  if (flags.adapter !== undefined) choice.adapter = parseAdapter(flags.adapter);
  if (flags.source === undefined) return choice;
  if (flags.adapter !== undefined || flags.server !== undefined)
    throw new UsageError('--source finds its own settings: drop --adapter and --server');
  if (!isSourceName(flags.source))
    throw new UsageError(`--source ${quoted(flags.source)} is not one of ${SOURCE_NAMES.join(', ')}`);
  return { ...choice, ...(await detectSource(flags.source, dir, env)) };
}

/** The transport asked for, where the agent and scope allow it: Codex and Gemini CLI run command hooks only. */
function transportFor(agent: string, asked: string | undefined, requested: SettingsScope | undefined): HookTransport {
  const transport = agent === 'claude' ? parseTransport(asked, requested) : 'command';
  if (transport === 'http' && requested !== undefined && requested !== 'local')
    throw new UsageError(
      `--transport http writes only the local settings file (it carries the hook token, which must not be committed); drop --scope ${requested}`,
    );
  return transport;
}

async function startMonitorShown(ctx: CliContext, home: string): Promise<MonitorState> {
  if (ctx.env.TASKHOOKS_NO_AUTOSTART === '1') return { state: 'disabled' };
  const done = progress(ctx.out, 'starting the monitor');
  try {
    return await startMonitor(home, ctx.log());
  } finally {
    done();
  }
}

function describeMonitor(m: MonitorState): string {
  switch (m.state) {
    case 'running':
    case 'started': {
      const code = m.code ? `, ${m.code}` : '';
      const other = m.other ? `\n  note: ${m.other}` : '';
      return `${m.state} (pid ${m.pid ?? '?'}${code})${other}`;
    }
    case 'disabled':
      return 'not started (TASKHOOKS_NO_AUTOSTART=1); the first SessionStart starts it';
    case 'not-started':
      return 'not running yet; the first SessionStart starts it (`taskhooks monitor status` shows it)';
  }
}

/** What only Claude Code's settings take, refused for another agent, and a scope its configuration has. */
function checkAgentFlags(
  agent: AgentAdapter,
  values: { transport?: string | undefined; statusline?: boolean | undefined },
  scope: SettingsScope | undefined,
): void {
  if (values.transport !== undefined && values.transport !== 'command')
    throw new UsageError(
      `--transport ${quoted(values.transport)}: ${agent.label} runs command hooks only; drop --transport`,
    );
  if (values.statusline)
    throw new UsageError(`--statusline: ${agent.label} has no status line taskhooks can set; drop it`);
  if (scope !== undefined && !agent.scopes.includes(scope))
    throw new UsageError(`--scope ${scope}: ${agent.label} reads hooks from ${agent.scopes.join(' or ')} only`);
}

const installCommand = defineCommand({
  name: 'install',
  summary: 'Wire taskhooks into a coding agent for a project (hooks, task tools, monitor)',
  description:
    "Adds taskhooks' hooks to a Claude Code settings file and `taskhooks mcp` to .mcp.json (approved in your local settings), which\n" +
    'the tool-call hooks call and which serves the embedded store; registers\n' +
    'the project with the monitor and starts it. Running it again changes nothing; `taskhooks uninstall` removes exactly this.',
  flags: {
    ...targetFlags('install into'),
    scope: {
      type: 'string',
      placeholder: 'SCOPE',
      description: `the settings file for the hooks: local (default, .claude/settings.local.json, yours only), project (.claude/settings.json, shared) or user (~/.claude/settings.json, every project)`,
    },
    server: {
      type: 'string',
      placeholder: 'URL',
      description: "the task server's MCP URL, written to .claude/taskhooks.json (default: the embedded store)",
    },
    adapter: {
      type: 'string',
      placeholder: 'ADAPTER',
      description: `the tools the server speaks: ${INSTALL_ADAPTERS.join(', ')} (default: inferred)`,
    },
    source: {
      type: 'string',
      placeholder: 'NAME',
      description: `the task source (${SOURCE_NAMES.join(', ')}), set up from what the environment and your config hold`,
    },
    transport: {
      type: 'string',
      placeholder: 'HOW',
      description:
        'http (default: the running monitor answers every hook, no process each), command (each hook a node process) or mcp (tool-call hooks through `taskhooks mcp` of .mcp.json)',
    },
    statusline: {
      type: 'boolean',
      description: "also set taskhooks' status line, only where the settings file has none (never replaces yours)",
    },
    agent: agentFlag('install for'),
    ...planFlags,
  },
  examples: [
    { command: 'taskhooks install', description: 'this project, with the embedded task store' },
    {
      command: 'taskhooks install --dir ~/src/shop --server https://tasks.example.com/mcp',
      description: 'another project, with a team agenthub server',
    },
    { command: 'taskhooks install --dry-run', description: 'show the diff of every file it would change' },
    { command: 'taskhooks install --statusline', description: 'also show the task in progress in the status line' },
    {
      command: 'taskhooks install --agent codex',
      description: "OpenAI Codex CLI's hooks: the project's .codex/hooks.json",
    },
    {
      command: 'taskhooks install --agent gemini --scope user',
      description: "Gemini CLI's hooks in ~/.gemini/settings.json",
    },
  ],
  async run(ctx, { values }) {
    const agent = AGENTS[parseAgent(values.agent) ?? 'claude'];
    const requested = parseScope(values.scope);
    if (agent.id !== 'claude') checkAgentFlags(agent, values, requested);
    const transport = transportFor(agent.id, values.transport, requested);
    const scope: SettingsScope = requested ?? (agent.scopes[0] as SettingsScope);
    const dir = projectDir(ctx, values);
    const source = await sourceChoice(values, dir, ctx.env);
    const { home } = ctx.settings;
    const options: InstallOptions = {
      dir,
      agent,
      scope,
      transport,
      source,
      statusLine: values.statusline === true,
      home,
      env: ctx.env,
    };
    // Started first, the monitor has found whether another process holds the port the http hooks would name.
    const early = transport === 'http' && !values['dry-run'] ? await startMonitorShown(ctx, home) : undefined;
    const plan = await planInstall(options);
    if (values['dry-run']) {
      if (values.json)
        printJson(ctx.out, { project: dir, agent: agent.id, scope, transport, dryRun: true, ...planJson(plan) });
      else printPlan(ctx.out, plan);
      return 0;
    }
    const applied = await applyInstall(options, plan, ctx.log());
    const monitor = early ?? (await startMonitorShown(ctx, home));
    if (values.json) {
      printJson(ctx.out, {
        project: dir,
        agent: agent.id,
        scope,
        transport,
        dryRun: false,
        changes: applied,
        notes: plan.notes,
        registered: true,
        monitor,
      });
      return 0;
    }
    const out = ctx.out;
    out.stdout.write(
      `${paint(out, 'green', '✓')} taskhooks is installed for ${dir} (${agent.label}, scope ${scope}, transport ${transport})\n\n`,
    );
    out.stdout.write(
      applied.length > 0 ? `${appliedTable(out, applied)}\n` : 'Already installed: nothing changed.\n\n',
    );
    printNotes(out, plan.notes);
    out.stdout.write(`monitor: ${describeMonitor(monitor)}\n`);
    out.stdout.write(`Next: start ${agent.label} in ${dir}; \`taskhooks context\` shows what a session receives.\n`);
    return 0;
  },
});

export const installCommands: Command[] = [installCommand, uninstallCommand];
