// `taskhooks install`: reads and checks the flags, calls src/install (planInstall, applyInstall) and prints.
import { applyInstall, planInstall, type InstallOptions } from '../../install/install.js';
import { startMonitor, type MonitorState } from '../../install/endpoint/monitor-start.js';
import { detectSource } from '../../install/planning/detect-source.js';
import { AGENTS, type AgentAdapter, claudeJsonShown, shownFile } from '../../agents/index.js';
import {
  INSTALL_ADAPTERS,
  parseAdapter,
  parseServerUrl,
  type SourceChoice,
} from '../../install/writing/project-config.js';
import { isSourceName, SOURCE_NAMES } from '../../sources/registry.js';
import { defineCommand, quoted, UsageError } from '../args.js';
import type { CliContext, Command } from '../command.js';
import { printJson, progress } from '../output.js';
import { refuseBesidePlugin } from '../../install/plugin-enabled.js';
import {
  agentFlag,
  agentsLookedFor,
  globalJson,
  installAgents,
  planCommandFlags,
  planTarget,
  printDryRun,
} from './install-shared.js';
import {
  installReach,
  keepOutOfGit,
  keptOutJson,
  installedSummary,
  printInstalled,
  printKeptOut,
  writeKeptOut,
} from './install-output.js';

type SettingsScope = InstallOptions['scope'];
type HookTransport = InstallOptions['transport'];

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

/** The transport asked for, where the agent and scope allow it: the other agents run command hooks only. */
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
    return await startMonitor(home, ctx.log(), ctx.env);
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
      const replaced = m.replaced ? `\n  ${m.replaced}` : '';
      return `${m.state} (pid ${m.pid ?? '?'}${code})${replaced}${other}`;
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

type InstallValues = {
  transport?: string | undefined;
  statusline?: boolean | undefined;
};

/** Each agent's install options, the flags checked for it. */
function optionsFor(
  ctx: CliContext,
  values: InstallValues,
  o: { agents: AgentAdapter[]; requested: SettingsScope | undefined; all: boolean; dir: string; source: SourceChoice },
): InstallOptions[] {
  const { dir, source, requested, all } = o;
  return o.agents.map((agent) => {
    // With --agent all, a scope an agent does not have leaves it at its own default.
    const asked = all && requested && !agent.scopes.includes(requested) ? undefined : requested;
    if (agent.id !== 'claude') checkAgentFlags(agent, values, asked);
    return {
      dir,
      agent,
      scope: asked ?? (agent.scopes[0] as SettingsScope),
      transport: transportFor(agent.id, values.transport, asked),
      source,
      statusLine: values.statusline === true,
      home: ctx.settings.home,
      env: ctx.env,
    };
  });
}

const installCommand = defineCommand({
  name: 'install',
  summary: 'Wire taskhooks into a coding agent for a project (hooks, task tools, monitor)',
  description:
    "Adds taskhooks' hooks to a coding agent's settings file and, with the built-in store, its task tools to your own\n" +
    `user configuration (Claude Code's ${claudeJsonShown()}, for this project alone). The running monitor answers both over\n` +
    'loopback, so no process starts for a session or a tool call; no project file holds a token. Registers the project\n' +
    'with the monitor and starts it. Running it again changes nothing; `taskhooks uninstall` removes exactly this.',
  flags: planCommandFlags('install into', {
    scope: {
      type: 'string',
      placeholder: 'SCOPE',
      description: `the settings file for the hooks: local (default, ${shownFile(AGENTS.claude, 'local')}, yours only), project (${shownFile(AGENTS.claude, 'project')}, shared) or user (${shownFile(AGENTS.claude, 'user')}, every project)`,
    },
    server: {
      type: 'string',
      placeholder: 'URL',
      description: "the task server's MCP URL, written to .claude/taskhooks.json (default: the built-in store)",
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
    agent: agentFlag('install for', 'all (every one found on this machine)'),
    'git-exclude': {
      type: 'boolean',
      description:
        "what install does by default: adds the files it writes this machine's paths or the hook token into to .git/info/exclude, so git neither shows nor commits them (this clone only)",
    },
  }),
  examples: [
    { command: 'taskhooks install', description: 'this project, with the built-in task store' },
    {
      command: 'taskhooks install --dir ~/src/shop --server https://tasks.example.com/mcp',
      description: 'another project, with a team agenthub server',
    },
    { command: 'taskhooks install --dry-run', description: 'show the diff of every file it would change' },
    { command: 'taskhooks install --statusline', description: 'also show the task in progress in the status line' },
    {
      command: 'taskhooks install --agent codex',
      description: `OpenAI Codex CLI's hooks: the project's ${shownFile(AGENTS.codex, 'project')}`,
    },
    ...Object.values(AGENTS)
      .filter((a) => a.plugin)
      .map((a) => ({
        command: `taskhooks install --agent ${a.id}`,
        description: `${a.label}'s plugin and task tools: the project's ${shownFile(a, 'project')}`,
      })),
    { command: 'taskhooks install --agent all', description: 'every agent found on this machine' },
    {
      command: 'taskhooks install --agent gemini --scope user',
      description: `Gemini CLI's hooks in ${shownFile(AGENTS.gemini, 'user')}`,
    },
  ],
  async run(ctx, { values }) {
    const agents = installAgents(values.agent, ctx.env);
    const { dir, scope: requested } = planTarget(ctx, values);
    const all = agents.length > 1 || values.agent === 'all';
    if (values.agent === 'all' && !values.json) ctx.out.stdout.write(`${agentsLookedFor(ctx.env)}\n`);
    const source = await sourceChoice(values, dir, ctx.env);
    const { home } = ctx.settings;
    if (agents.some((a) => a.id === 'claude')) refuseBesidePlugin(dir, ctx.env);
    const options = optionsFor(ctx, values, { agents, requested, all, dir, source });
    // Started first, the monitor has found whether another process holds the port the http hooks (or another agent's
    // task tools, which reach its store server) would name.
    const http = options.some((o) => o.transport === 'http' || (o.agent.id !== 'claude' && o.agent.mcp));
    const early = http && !values['dry-run'] ? await startMonitorShown(ctx, home) : undefined;
    const installs: Array<{ options: InstallOptions; plan: Awaited<ReturnType<typeof planInstall>> }> = [];
    for (const o of options) installs.push({ options: o, plan: await planInstall(o) });
    const summary = ({ options: o }: (typeof installs)[number]) => installSummary(dir, o);
    const asked = { dryRun: values['dry-run'] === true };
    const plans = installs.map((i) => i.plan);
    const reach = installReach(installs, dir, ctx.env);
    const kept = await keepOutOfGit(dir, plans);
    if (asked.dryRun) {
      printDryRun(
        ctx.out,
        values.json,
        installs.map((i) => ({ about: { ...summary(i), ...keptOutJson(i.plan, kept) }, plan: i.plan })),
        all,
        reach,
      );
      if (!values.json) printKeptOut(ctx.out, kept, asked);
      return 0;
    }
    const applied: Array<Awaited<ReturnType<typeof applyInstall>>> = [];
    for (const i of installs) applied.push(await applyInstall(i.options, i.plan, ctx.log()));
    // Always: a file naming this machine's node or a token must not reach a commit teammates pull.
    writeKeptOut(kept);
    const monitor = early ?? (await startMonitorShown(ctx, home));
    if (values.json) {
      const shown = installs.map((i, k) => ({
        ...summary(i),
        dryRun: false,
        changes: applied[k]?.map((c) => ({ ...c, ...globalJson(reach, c.file) })),
        notes: i.plan.notes,
        ...keptOutJson(i.plan, kept),
        registered: true,
        monitor,
      }));
      printJson(ctx.out, all ? shown : shown[0]);
      return 0;
    }
    const out = ctx.out;
    printInstalled(out, dir, installs, applied, reach);
    if (installs.length > 1) out.stdout.write(installedSummary(out, dir, installs, applied, kept));
    else printKeptOut(out, kept, asked);
    out.stdout.write(`monitor: ${describeMonitor(monitor)}\n`);
    const labels = installs.map((i) => i.options.agent.label).join(', ');
    out.stdout.write(`Next: start ${labels} in ${dir}; \`taskhooks context\` shows what a session receives.\n`);
    return 0;
  },
});

/** What one agent's install is about, as --json shows it. */
const installSummary = (dir: string, o: InstallOptions) => ({
  project: dir,
  agent: o.agent.id,
  scope: o.scope,
  transport: o.transport,
});

export const installCommands: Command[] = [installCommand];
