import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadSettings, resolveSettings, type Settings } from '../../config/settings.js';
import { registerProject } from '../../cache/projects.js';
import { ensureMonitorRunning } from '../../home/launch.js';
import { readMonitorInfo } from '../../home/monitor-info.js';
import { ensureHookToken } from '../../home/secrets.js';
import { wakeMonitor } from '../../home/signals.js';
import { resolveScope } from '../../tasks/scope.js';
import { applyPlan } from '../../install/apply.js';
import { isGitIgnored } from '../../install/git-ignore.js';
import { mcpServerEntry } from '../../install/mcp-json.js';
import { mcpJsonFile, projectConfigFile, settingsFile, type SettingsScope } from '../../install/paths.js';
import { packageRoot } from '../../util/package.js';
import { planInstall, type Plan } from '../../install/plan.js';
import { INSTALL_ADAPTERS, parseAdapter, parseServerUrl, type SourceChoice } from '../../install/project-config.js';
import { desiredHooks, withIdleRewake, HOOK_SCRIPTS, type HookTransport } from '../../install/settings.js';
import { desiredStatusLine, STATUS_LINE_SCRIPT } from '../../install/status-line.js';
import { defineCommand, quoted, UsageError } from '../args.js';
import { UserError } from '../../errors/user.js';
import type { CliContext, Command } from '../command.js';
import { paint, printJson, progress } from '../output.js';
import {
  appliedTable,
  confineToProject,
  keepTrust,
  parseScope,
  planFlags,
  planJson,
  printNotes,
  printPlan,
  projectDir,
  targetFlags,
} from './install-shared.js';
import { withCache } from '../../cache/cache.js';
import { uninstallCommand } from './uninstall.js';
import { detectSource } from './install-source.js';
import { SOURCE_NAMES } from '../../sources/registry.js';

/**
 * The mcp transport needs the project's .mcp.json beside the hooks, so user settings (every project) keep commands.
 */
function parseTransport(raw: string | undefined, scope: SettingsScope | undefined): HookTransport {
  if (raw === undefined) return scope === 'user' ? 'command' : 'mcp';
  if (raw === 'mcp' && scope === 'user')
    throw new UsageError(
      "--transport mcp calls the server of the project's .mcp.json, which user settings cannot count on; drop --scope user, or use --transport command",
    );
  if (raw === 'mcp' || raw === 'command' || raw === 'http') return raw;
  throw new UsageError(`--transport ${quoted(raw)} is not one of mcp, command, http`);
}

/** The source the flags choose: a server and adapter as given, or what --source finds. */
async function sourceChoice(
  values: { server?: string | undefined; adapter?: string | undefined; source?: string | undefined },
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<SourceChoice> {
  const choice: SourceChoice = {};
  if (values.server !== undefined) choice.server = parseServerUrl(values.server);
  if (values.adapter !== undefined) choice.adapter = parseAdapter(values.adapter);
  if (values.source !== undefined) {
    if (values.adapter !== undefined || values.server !== undefined)
      throw new UsageError('--source finds its own settings: drop --adapter and --server');
    Object.assign(choice, await detectSource(values.source, dir, env));
  }
  return choice;
}

/** The settings the project will have once the chosen source is written. */
async function projectSettings(dir: string, env: NodeJS.ProcessEnv, choice: SourceChoice): Promise<Settings> {
  const { loaded } = await loadSettings({ cwd: dir, env });
  const source = { ...loaded.config.source };
  if (choice.adapter) source.adapter = choice.adapter;
  if (choice.server && !source.servers.includes(choice.server)) source.servers = [choice.server];
  return resolveSettings({ ...loaded.config, source }, loaded.home);
}

/** The port the monitor serves hooks on: the configured one, or the one a monitor on a random port published. */
function servedHookPort(home: string, settings: Settings): number {
  if (settings.monitor.hookPort > 0) return settings.monitor.hookPort;
  const port = readMonitorInfo(home)?.hookPort;
  if (typeof port === 'number' && port > 0) return port;
  throw new UserError(
    '--transport http needs a fixed monitor.hookPort (it is 0, a random port); set monitor.hookPort in the config and run again',
    2,
  );
}

function distRoot(): string {
  const root = packageRoot();
  for (const script of [...HOOK_SCRIPTS, STATUS_LINE_SCRIPT, 'dist/cli.js']) {
    if (!existsSync(path.join(root, script)))
      throw new UserError(`${path.join(root, script)} is missing; build taskhooks first (npm ci, or npm run build)`);
  }
  return root;
}

type MonitorState = { state: 'running' | 'started' | 'not-started' | 'disabled'; pid?: number };

function startMonitor(ctx: CliContext, home: string): MonitorState {
  if (ctx.env.TASKHOOKS_NO_AUTOSTART === '1') return { state: 'disabled' };
  const done = progress(ctx.out, 'starting the monitor');
  try {
    const r = ensureMonitorRunning(home, ctx.log());
    const state: MonitorState = { state: r.started ? 'started' : r.running ? 'running' : 'not-started' };
    if (r.pid !== undefined) state.pid = r.pid;
    return state;
  } finally {
    done();
  }
}

function describeMonitor(m: MonitorState): string {
  switch (m.state) {
    case 'running':
      return `running (pid ${m.pid ?? '?'})`;
    case 'started':
      return `started (pid ${m.pid ?? '?'})`;
    case 'disabled':
      return 'not started (TASKHOOKS_NO_AUTOSTART=1); the first SessionStart starts it';
    case 'not-started':
      return 'not running yet; the first SessionStart starts it (`taskhooks monitor status` shows it)';
  }
}

/**
 * `.mcp.json` is a file teams commit, and the entry install writes names this machine's node and checkout: say so
 * where it is about to be shared, with the two ways to keep it to this machine.
 */
async function mcpJsonNote(plan: Plan, file: string, command: string, cli: string): Promise<string | undefined> {
  if (!plan.changes.some((c) => c.file === file && c.after !== null) || (await isGitIgnored(file)) === true)
    return undefined;
  return (
    `${file} now holds paths of this machine (${command}, ${cli}): to keep them out of git, add .mcp.json to .git/info/exclude, ` +
    `or remove its "taskhooks" entry and add the server for yourself only: claude mcp add --scope local taskhooks -- ${quoted(command)} ${quoted(cli)} mcp`
  );
}

const installCommand = defineCommand({
  name: 'install',
  summary: 'Wire taskhooks into Claude Code for a project (settings hooks, .mcp.json, monitor)',
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
        'mcp (default: tool calls reach `taskhooks mcp` of .mcp.json, no process each), command (each hook a node process) or http (tool-call hooks served by the monitor)',
    },
    statusline: {
      type: 'boolean',
      description: "also set taskhooks' status line, only where the settings file has none (never replaces yours)",
    },
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
  ],
  async run(ctx, { values }) {
    const requested = parseScope(values.scope);
    const transport = parseTransport(values.transport, requested);
    if (transport === 'http' && requested !== undefined && requested !== 'local')
      throw new UsageError(
        `--transport http writes only the local settings file (it carries the hook token, which must not be committed); drop --scope ${requested}`,
      );
    const scope: SettingsScope = requested ?? 'local';
    const dir = projectDir(ctx, values);
    const choice = await sourceChoice(values, dir, ctx.env);

    const target = settingsFile(scope, dir, ctx.env);
    const markTargets = confineToProject(ctx, dir, [
      target,
      settingsFile('local', dir, ctx.env),
      mcpJsonFile(dir),
      projectConfigFile(dir),
    ]);
    const { home } = ctx.settings;
    const settings = await projectSettings(dir, ctx.env, choice);
    const root = distRoot();
    const node = process.execPath;
    const served =
      transport === 'http' ? { port: servedHookPort(home, settings), token: ensureHookToken(home) } : undefined;
    const embedded = settings.source.plan.kind === 'embedded';
    const viaMcp = transport === 'mcp';
    const mcpServer = embedded || viaMcp ? mcpServerEntry(node, root) : undefined;
    const plan = planInstall({
      settingsFile: target,
      hooks: withIdleRewake(desiredHooks(served ? { node, root, transport, served } : { node, root, transport }), {
        node,
        root,
      }),
      statusLine: desiredStatusLine(node, root),
      addStatusLine: values.statusline === true,
      secretSettings: transport === 'http',
      mcpJsonFile: mcpJsonFile(dir),
      ...(mcpServer ? { mcpServer } : {}),
      ...(viaMcp ? { approvalFile: settingsFile('local', dir, ctx.env) } : {}),
      projectConfigFile: projectConfigFile(dir),
      source: choice,
    });
    if (served && (await isGitIgnored(target)) === false)
      plan.notes.push(
        `${target} holds the hook token but git does not ignore it: add ".claude/settings.local.json" to .gitignore`,
      );
    const mcpNote =
      mcpServer && (await mcpJsonNote(plan, mcpJsonFile(dir), mcpServer.command, mcpServer.args[0] as string));
    if (mcpNote) plan.notes.push(mcpNote);
    markTargets(plan);
    if (choice.found) plan.notes.push(`the ${choice.adapter} source: found ${choice.found}`);

    if (values['dry-run']) {
      if (values.json) printJson(ctx.out, { project: dir, scope, transport, dryRun: true, ...planJson(plan) });
      else printPlan(ctx.out, plan);
      return 0;
    }
    const applied = applyPlan(plan.changes);
    ctx.log().info({ project: dir, scope, transport, changes: applied }, 'install applied');
    plan.notes.push(...keepTrust(ctx.settings.home, plan.changes, projectConfigFile(dir)));
    const { settings: registered } = await loadSettings({ cwd: dir, env: ctx.env });
    const isNew = withCache({ home: ctx.settings.home, log: ctx.log() }, (cache) =>
      registerProject(cache, {
        root: dir,
        name: resolveScope(registered.project, dir, '').project,
        sourceKey: registered.source.key,
        registeredBy: 'install',
      }),
    );
    if (isNew) wakeMonitor(home, ctx.log(), 'new project');
    const monitor = startMonitor(ctx, home);
    if (values.json) {
      printJson(ctx.out, {
        project: dir,
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
      `${paint(out, 'green', '✓')} taskhooks is installed for ${dir} (scope ${scope}, transport ${transport})\n\n`,
    );
    out.stdout.write(
      applied.length > 0 ? `${appliedTable(out, applied)}\n` : 'Already installed: nothing changed.\n\n',
    );
    printNotes(out, plan.notes);
    out.stdout.write(`monitor: ${describeMonitor(monitor)}\n`);
    out.stdout.write(`Next: start Claude Code in ${dir}; \`taskhooks context\` shows what a session receives.\n`);
    return 0;
  },
});

export const installCommands: Command[] = [installCommand, uninstallCommand];
