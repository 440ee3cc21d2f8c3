import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { findGitRoot } from '../../git/repo.js';
import { loadSettings, resolveSettings, type Settings } from '../../config/settings.js';
import { openStore } from '../../cache/store.js';
import { registerProject, unregisterProject } from '../../cache/projects.js';
import { scrubString } from '../../log/redact.js';
import { ensureMonitorRunning } from '../../home/launch.js';
import { readMonitorInfo } from '../../home/monitor-info.js';
import { ensureHookToken } from '../../home/secrets.js';
import { wakeMonitor } from '../../home/signals.js';
import { resolveScope } from '../../tasks/scope.js';
import { applyPlan, type AppliedChange } from '../../install/apply.js';
import { renderDiff } from '../../install/diff.js';
import { isGitIgnored } from '../../install/git-ignore.js';
import { readJsonDoc } from '../../install/json-doc.js';
import { embeddedServerEntry } from '../../install/mcp-json.js';
import { mcpJsonFile, projectConfigFile, SCOPES, settingsFile, type SettingsScope } from '../../install/paths.js';
import { packageRoot } from '../../util/package.js';
import { planInstall, planUninstall, type FileChange, type Plan } from '../../install/plan.js';
import { isTrusted, trustFiles } from '../../config/trust.js';
import { parseAdapter, parseServerUrl, type SourceChoice } from '../../install/project-config.js';
import { desiredHooks, hasTaskhooksHooks, type HookTransport } from '../../install/settings.js';
import { desiredStatusLine } from '../../install/status-line.js';
import { parseFlags } from '../args.js';
import { UserError } from '../../errors/user.js';
import { type CliContext, type Command } from '../command.js';
import { paint, printJson, progress, table, type Out } from '../output.js';

const INSTALL_USAGE =
  'taskhooks install [--project DIR] [--scope project|local|user] [--server URL] [--adapter agenthub|tracker|taskmaster] [--transport command|http] [--statusline] [--dry-run] [--json]';
const UNINSTALL_USAGE = 'taskhooks uninstall [--project DIR] [--scope project|local|user] [--dry-run] [--json]';

function parseScope(raw: string | undefined): SettingsScope | undefined {
  if (raw === undefined) return undefined;
  const found = SCOPES.find((s) => s === raw);
  if (!found) throw new UserError(`--scope ${raw} is not one of ${SCOPES.join(', ')}`, 2);
  return found;
}

function parseTransport(raw: string | undefined): HookTransport {
  if (raw === undefined || raw === 'command') return 'command';
  if (raw === 'http') return 'http';
  throw new UserError(`--transport ${raw} is not one of command, http`, 2);
}

/** `--project DIR`, else the git root around the working directory, else the working directory. */
function projectDir(ctx: CliContext, raw: string | undefined): string {
  const dir = raw ? path.resolve(ctx.cwd, raw) : (findGitRoot(ctx.cwd) ?? ctx.cwd);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`--project ${dir} is not a directory`, 2);
  return dir;
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
  throw new UserError('--transport http needs a fixed monitor.hookPort (it is 0, a random port); set monitor.hookPort in the config and run again', 2);
}

function distRoot(): string {
  const root = packageRoot();
  for (const script of ['dist/hooks/session-start.js', 'dist/hooks/pre-tool-use.js', 'dist/hooks/post-tool-use.js', 'dist/hooks/status-line.js', 'dist/cli.js']) {
    if (!existsSync(path.join(root, script))) throw new UserError(`${path.join(root, script)} is missing; build taskhooks first (npm ci, or npm run build)`);
  }
  return root;
}

const ACTION_WORDS = { create: 'create', update: 'update', remove: 'remove' } as const;

function printPlan(out: Out, plan: Plan): void {
  if (plan.changes.length === 0) out.stdout.write('Nothing to change.\n');
  for (const c of plan.changes) {
    out.stdout.write(`${paint(out, 'bold', `${ACTION_WORDS[c.action]} ${c.file}`)}${c.backup ? paint(out, 'dim', ' (backup first)') : ''}\n`);
    for (const line of renderDiff(c.before, c.after)) {
      // The served-hooks token is a secret: a dry run shows where it goes, never what it is.
      const safe = scrubString(line);
      const colour = safe.startsWith('+') ? 'green' : safe.startsWith('-') ? 'red' : 'dim';
      out.stdout.write(`  ${paint(out, colour, safe)}\n`);
    }
  }
  for (const note of plan.notes) out.stdout.write(`${paint(out, 'yellow', 'note:')} ${note}\n`);
  out.stdout.write(paint(out, 'dim', 'Dry run: nothing was written.\n'));
}

function planJson(plan: Plan) {
  return {
    changes: plan.changes.map((c) => ({ file: c.file, action: c.action, backup: c.backup, diff: renderDiff(c.before, c.after).map(scrubString) })),
    notes: plan.notes,
  };
}

function appliedTable(out: Out, applied: AppliedChange[]): string {
  const rows = applied.map((a) => [a.file, a.action === 'create' ? 'created' : a.action === 'update' ? 'updated' : 'removed', a.backup ?? '']);
  return table(out, ['file', 'change', 'backup'], rows);
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
 * Trust follows what install writes: the project config it creates (from --server/--adapter) is the user's word, and
 * a file that was trusted stays trusted with install's own change in it. A file that already held settings nobody
 * trusted is not trusted by install changing it: the note says so.
 */
function keepTrust(home: string, changes: FileChange[], projectConfig: string): string[] {
  const notes: string[] = [];
  for (const c of changes) {
    if (c.after === null) continue;
    let wasTrusted = false;
    try {
      wasTrusted = c.before !== null && isTrusted(home, c.file, c.before);
    } catch (err) {
      notes.push(`${err instanceof Error ? err.message : String(err)}`); // an unreadable trust store trusts nothing
    }
    if (wasTrusted || (c.file === projectConfig && c.before === null)) trustFiles(home, [{ file: c.file, text: c.after }]);
    else if (c.file === projectConfig) notes.push(`${c.file} holds settings install did not write and is not trusted: review it, then run \`taskhooks trust\``);
  }
  return notes;
}

function withStore<T>(ctx: CliContext, fn: (store: ReturnType<typeof openStore>) => T): T {
  const store = openStore({ home: ctx.settings.home, log: ctx.log() });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

async function install(ctx: CliContext): Promise<number> {
  const { values } = parseFlags(
    ctx.args,
    {
      project: { type: 'string' },
      scope: { type: 'string' },
      server: { type: 'string' },
      adapter: { type: 'string' },
      transport: { type: 'string' },
      statusline: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    INSTALL_USAGE,
  );
  const transport = parseTransport(values.transport);
  const requested = parseScope(values.scope);
  if (transport === 'http' && requested !== undefined && requested !== 'local')
    throw new UserError(`--transport http writes only the local settings file (it carries the hook token, which must not be committed); drop --scope ${requested}`, 2);
  const scope: SettingsScope = requested ?? 'local';
  const dir = projectDir(ctx, values.project);
  const choice: SourceChoice = {};
  if (values.server !== undefined) choice.server = parseServerUrl(values.server);
  if (values.adapter !== undefined) choice.adapter = parseAdapter(values.adapter);

  const { home } = ctx.settings;
  const settings = await projectSettings(dir, ctx.env, choice);
  const root = distRoot();
  const node = process.execPath;
  const served = transport === 'http' ? { port: servedHookPort(home, settings), token: ensureHookToken(home) } : undefined;
  const embedded = settings.source.plan.kind === 'embedded';
  const target = settingsFile(scope, dir, ctx.env);
  const plan = planInstall({
    settingsFile: target,
    hooks: desiredHooks(served ? { node, root, transport, served } : { node, root, transport }),
    statusLine: desiredStatusLine(node, root),
    addStatusLine: values.statusline === true,
    secretSettings: transport === 'http',
    mcpJsonFile: mcpJsonFile(dir),
    ...(embedded ? { mcpServer: embeddedServerEntry(node, root) } : {}),
    projectConfigFile: projectConfigFile(dir),
    source: choice,
  });
  if (served && isGitIgnored(target) === false)
    plan.notes.push(`${target} holds the hook token but git does not ignore it: add ".claude/settings.local.json" to .gitignore`);

  if (values['dry-run']) {
    if (values.json) printJson(ctx.out, { project: dir, scope, transport, dryRun: true, ...planJson(plan) });
    else printPlan(ctx.out, plan);
    return 0;
  }
  const applied = applyPlan(plan.changes);
  ctx.log().info({ project: dir, scope, transport, changes: applied }, 'install applied');
  plan.notes.push(...keepTrust(ctx.settings.home, plan.changes, projectConfigFile(dir)));
  const { settings: registered } = await loadSettings({ cwd: dir, env: ctx.env });
  const isNew = withStore(ctx, (store) =>
    registerProject(store, {
      root: dir,
      name: resolveScope(registered.project, dir, '').project,
      sourceKey: registered.source.key,
      registeredBy: 'install',
    }),
  );
  if (isNew) wakeMonitor(home, ctx.log(), 'new project');
  const monitor = startMonitor(ctx, home);
  if (values.json) {
    printJson(ctx.out, { project: dir, scope, transport, dryRun: false, changes: applied, notes: plan.notes, registered: true, monitor });
    return 0;
  }
  const out = ctx.out;
  out.stdout.write(`${paint(out, 'green', '✓')} taskhooks is installed for ${dir} (scope ${scope}, transport ${transport})\n\n`);
  out.stdout.write(applied.length > 0 ? `${appliedTable(out, applied)}\n` : 'Already installed: nothing changed.\n\n');
  for (const note of plan.notes) out.stdout.write(`${paint(out, 'yellow', 'note:')} ${note}\n`);
  out.stdout.write(`monitor: ${describeMonitor(monitor)}\n`);
  out.stdout.write(`Next: start Claude Code in ${dir}; \`taskhooks context\` shows what a session receives.\n`);
  return 0;
}

async function uninstall(ctx: CliContext): Promise<number> {
  const { values } = parseFlags(
    ctx.args,
    { project: { type: 'string' }, scope: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
    UNINSTALL_USAGE,
  );
  const requested = parseScope(values.scope);
  const dir = projectDir(ctx, values.project);
  // Without --scope, uninstall means "gone": every settings file that can wire taskhooks into this project.
  const scopes = requested ? [requested] : [...SCOPES];
  const plan = planUninstall({
    settingsFiles: scopes.map((s) => settingsFile(s, dir, ctx.env)),
    mcpJsonFile: mcpJsonFile(dir),
    projectConfigFile: projectConfigFile(dir),
  });
  if (values['dry-run']) {
    if (values.json) printJson(ctx.out, { project: dir, scopes, dryRun: true, ...planJson(plan) });
    else printPlan(ctx.out, plan);
    return 0;
  }
  const applied = applyPlan(plan.changes);
  ctx.log().info({ project: dir, scopes, changes: applied }, 'uninstall applied');
  plan.notes.push(...keepTrust(ctx.settings.home, plan.changes, projectConfigFile(dir)));
  const stillWired = SCOPES.some((s) => hasTaskhooksHooks(readJsonDoc(settingsFile(s, dir, ctx.env)).value));
  const unregistered = !stillWired && withStore(ctx, (store) => unregisterProject(store, dir));
  // The monitor stops watching the repository at once instead of at its next cycle.
  if (unregistered) wakeMonitor(ctx.settings.home, ctx.log(), 'project unregistered');
  if (values.json) {
    printJson(ctx.out, { project: dir, scopes, dryRun: false, changes: applied, notes: plan.notes, unregistered });
    return 0;
  }
  const out = ctx.out;
  if (applied.length === 0) out.stdout.write(`taskhooks was not installed for ${dir} (${scopes.join(', ')}): nothing changed.\n`);
  else out.stdout.write(`${paint(out, 'green', '✓')} taskhooks is uninstalled from ${dir}\n\n${appliedTable(out, applied)}`);
  for (const note of plan.notes) out.stdout.write(`${paint(out, 'yellow', 'note:')} ${note}\n`);
  return 0;
}

export const installCommands: Command[] = [
  {
    name: 'install',
    summary: 'Wire taskhooks into Claude Code for a project (settings hooks, .mcp.json, monitor)',
    usage: INSTALL_USAGE,
    run: install,
  },
  {
    name: 'uninstall',
    summary: 'Remove exactly what `taskhooks install` added',
    usage: UNINSTALL_USAGE,
    run: uninstall,
  },
];
