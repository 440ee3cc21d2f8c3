// The one way every process (command hooks, served hooks, the CLI, the monitor and its per-project reloads) gets its
// configuration: loaded with precedence and provenance, validated, its secrets registered with the log scrubber, and
// resolved into narrow settings. Modules below take the part they use; none of them sees the config schema.
import { UserError } from '../errors/user.js';
import { homeHookPort, homeStorePort } from '../home/endpoint.js';
import { registerSecret } from '../log/redact.js';
import type { LogLimits } from '../log/rotate.js';
import type { AuthSettings } from '../auth/index.js';
import type { ServerToken } from '../server/auth.js';
import { sourceKey, sourceName, type SourcePlan, type SourceSettings, type ToolQuery } from '../sources/plan.js';
import { SOURCES } from '../sources/registry.js';
import { isJsonObject } from '../util/object.js';
import { loadConfigThroughConfigCache } from './config-cache.js';
import { configSecrets } from './env.js';
import type { LoadedConfig, ProjectFileTrust } from './load.js';
import type { Config } from './schema.js';
import type { WorkComments } from '../sources/work-sharing.js';

export type GuardMode = 'off' | 'ask' | 'deny';

export interface GuardSettings {
  protectedPaths: string[];
  protectedBranches: string[];
  requireActiveTask: GuardMode;
}

/** Whether any guard is on: then every call it may see must reach PreToolUse, and none may pass when it cannot answer. */
export const anyGuard = (g: GuardSettings): boolean =>
  g.protectedPaths.length > 0 || g.protectedBranches.length > 0 || g.requireActiveTask !== 'off';

export interface HookSettings {
  /** How long SessionStart may spend in all, a live fetch included (0: never fetch). */
  sessionStartDeadlineMs: number;
  /** How long PreToolUse may spend on a live fetch of a snapshot a change made stale (0: never fetch). */
  preToolUseDeadlineMs: number;
  maxPendingTasks: number;
  contextBudget: number;
  /** Whether install writes the hook after each batch of tool calls that tells news mid-turn. */
  midTurnNews: boolean;
  /** A session no hook has seen for this long has ended. */
  sessionIdleMinutes: number;
  /** How long a session's claim on the task server lasts unless the monitor renews it. */
  claimLeaseSeconds: number;
  /** Whether a session's work record keeps its closing words (its last message, cut and cleaned). */
  closingWords: boolean;
  /** When a tracker's task gets a session's work record as a comment (off, done, ended). */
  workComments: WorkComments;
  guards: GuardSettings;
}

export interface CacheSettings {
  taskTtlSeconds: number;
  gitTtlSeconds: number;
}

export interface MonitorSettings {
  taskSchedule: string;
  gitSchedule: string;
  staleProjectDays: number;
  hookPort: number;
  storeServerPort: number;
  /** node-cron expression: when the monitor backs up the task store, if it changed since the last backup. */
  backupSchedule: string;
  /** How many task-store backups are kept at most. */
  backupKeep: number;
  /** Backups older than this are dropped (the newest one never is). */
  backupMaxAgeDays: number;
}

export interface ServerSettings {
  tokens: ServerToken[];
  /** The OIDC issuer whose JWT access tokens are accepted too. */
  issuer?: string | undefined;
  audience?: string | undefined;
  rateLimitPerMinute: number;
}

/**
 * `server.database` and `server.listenDatabase`, `taskhooks serve`'s PostgreSQL URLs, read from the config files
 * themselves: they may hold a password, so the validated-config cache never keeps them. Their secrets are registered
 * with the log scrubber.
 */
export async function serverDatabase(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
}): Promise<{ database?: string | undefined; listenDatabase?: string | undefined }> {
  const { loadConfig } = await import('./load.js');
  const { config } = loadConfig(options);
  for (const secret of configSecrets(config)) registerSecret(secret);
  return { database: config.server.database, listenDatabase: config.server.listenDatabase };
}

export interface Settings {
  /** The state directory. */
  home: string;
  source: SourceSettings;
  /**
   * The project's name on the task server: configured, else its repository's (docs/configuration.md, "What a project
   * is"); undefined outside a repository, where the folder's name is used.
   */
  project: string | undefined;
  cache: CacheSettings;
  hooks: HookSettings;
  monitor: MonitorSettings;
  server: ServerSettings;
  logLevel: string;
  /** How every log file rotates (monitor.logMaxBytes and monitor.logFiles in the config). */
  logLimits: LogLimits;
  /** One line for the context and `doctor` when project files were not (fully) taken into account, and why. */
  trustNote?: string;
}

export interface LoadedSettings {
  settings: Settings;
  /** The merged config with where each value came from, and every problem found: for `config`, `doctor` and logs. */
  loaded: LoadedConfig;
  /** Why the validated-config cache could not be written (the config itself is fine): for the log. */
  configCacheError?: string;
}

/**
 * Which task source a config means. The configured adapter wins; with none, the first source (in the registry's
 * order) its settings imply: MCP_SERVER_URL (source.servers) means agenthub, TASK_TRACKING_URL the tracker. Settings
 * that say where no server is mean the embedded store.
 */
function planOf(s: Config['source'], projectTrusted: boolean): SourcePlan {
  const definition =
    s.adapter === undefined ? SOURCES.find((d) => d.implied?.(s)) : SOURCES.find((d) => d.name === s.adapter);
  const own: unknown = definition && (s as Record<string, unknown>)[definition.name];
  const shape = definition?.plan(s, { projectTrusted, own: isJsonObject(own) ? own : {} });
  if (!definition || !shape || shape.kind === 'embedded' || definition.name === 'embedded') return { kind: 'embedded' };
  return { ...shape, adapter: definition.name };
}

/** The generic adapter's tool call, as its settings: only when that adapter reads it. */
function toolOf(s: Config['source']): ToolQuery | undefined {
  if (s.adapter !== 'mcp' || !s.tool) return undefined;
  return { name: s.tool.name, args: s.tool.args, tasks: s.tool.tasks && { ...s.tool.tasks } };
}

/** The configured source's own entries (`source.<name>`), or none. */
function ownEntries(s: Config['source'], plan: SourcePlan): Readonly<Record<string, unknown>> {
  const own: unknown = (s as Record<string, unknown>)[sourceName(plan)];
  return isJsonObject(own) ? own : {};
}

/** The OIDC issuer URL: auth.issuer, else KEYCLOAK_URL/realms/KEYCLOAK_REALM. */
function issuerOf(a: Config['auth']): string | undefined {
  if (a.issuer) return a.issuer.replace(/\/+$/, '');
  if (a.keycloakUrl && a.realm) return `${a.keycloakUrl.replace(/\/+$/, '')}/realms/${a.realm}`;
  return undefined;
}

function authOf(a: Config['auth'], plan: SourcePlan, mcpJson: ProjectFileTrust | undefined): AuthSettings {
  const tracker = plan.kind !== 'embedded' && plan.adapter === 'tracker';
  const issuer = issuerOf(a);
  const auth: AuthSettings = {};
  // The API key is the tracking service's own credential; other servers never receive it.
  if (tracker && a.apiKey) auth.apiKey = { value: a.apiKey, header: a.apiKeyHeader };
  if (issuer && a.clientId)
    auth.oidc = {
      issuer,
      clientId: a.clientId,
      clientSecret: a.clientSecret,
      method: a.tokenAuthMethod,
      scope: a.scope,
    };
  if (a.token) auth.token = a.token;
  // A repository's .mcp.json could name any server and header: only a trusted one lends its Authorization header.
  if (mcpJson?.trusted) auth.mcpJson = { file: mcpJson.file, serverName: a.mcpJsonServer };
  // The task-tracking service rejects every anonymous call.
  if (tracker) auth.requiredHint = 'set TASK_TRACKING_API_KEY (auth.apiKey)';
  return auth;
}

/** A repository's key names reach the model's context: only plain ones, and a few, are named. */
function keyList(keys: readonly string[]): string {
  const named = keys.filter((k) => /^[A-Za-z0-9_.-]{1,60}$/.test(k)).slice(0, 5);
  const rest = keys.length - named.length;
  return rest > 0 ? `${named.join(', ')}${named.length > 0 ? ' and ' : ''}${rest} more` : named.join(', ');
}

/** What the project files' trust left out, in one line; undefined when everything they set took effect. */
function trustNoteOf(files: TrustFacts): string | undefined {
  const parts: string[] = [];
  const { project, mcpJson } = files;
  if (project && !project.trusted && project.ignored.length > 0) {
    parts.push(`project config ignored: not trusted — run \`taskhooks trust\` (${keyList(project.ignored)})`);
  } else if (project && project.ignored.length > 0) {
    parts.push(
      `${keyList(project.ignored)} in the project config ignored: the monitor and servers are set in ${files.userFile}`,
    );
  }
  if (mcpJson && !mcpJson.trusted && mcpJson.ignored.length > 0)
    parts.push('.mcp.json headers ignored: not trusted — run `taskhooks trust`');
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** What trust made of the project's files (LoadedConfig's part of it). */
export type TrustFacts = Partial<Pick<LoadedConfig, 'project' | 'mcpJson' | 'userFile'>>;

/** The settings a validated config means: pure, cheap, and free of zod, so a hook can call it on every run. */
export function resolveSettings(config: Config, home: string, files: TrustFacts = {}): Settings {
  const plan = planOf(config.source, files.project?.trusted === true);
  const s = config.source;
  const tool = toolOf(s);
  const trustNote = trustNoteOf(files);
  return {
    home,
    source: {
      plan,
      key: sourceKey(plan, tool),
      timeoutMs: s.timeoutMs,
      rate: { perSecond: s.rateLimitPerSecond, burst: s.rateLimitBurst },
      listCap: { pages: s.maxPages, items: s.maxItems },
      auth: authOf(config.auth, plan, files.mcpJson),
      ...(tool ? { tool } : {}),
      statuses: s.statuses,
      ...(s.user ? { user: s.user } : {}),
      options: ownEntries(s, plan),
    },
    project: s.project,
    cache: { ...config.cache },
    hooks: {
      sessionStartDeadlineMs: config.hooks.sessionStartDeadlineMs,
      preToolUseDeadlineMs: config.hooks.preToolUseDeadlineMs,
      maxPendingTasks: config.hooks.maxPendingTasks,
      contextBudget: config.hooks.contextBudget,
      midTurnNews: config.hooks.midTurnNews,
      sessionIdleMinutes: config.hooks.sessionIdleMinutes,
      claimLeaseSeconds: config.hooks.claimLeaseSeconds,
      closingWords: config.hooks.closingWords,
      workComments: config.hooks.workComments,
      guards: { ...config.hooks.guards },
    },
    monitor: {
      taskSchedule: config.monitor.taskSchedule,
      gitSchedule: config.monitor.gitSchedule,
      staleProjectDays: config.monitor.staleProjectDays,
      hookPort: config.monitor.hookPort ?? homeHookPort(home),
      storeServerPort: config.monitor.storeServerPort ?? homeStorePort(home),
      backupSchedule: config.monitor.backupSchedule,
      backupKeep: config.monitor.backupKeep,
      backupMaxAgeDays: config.monitor.backupMaxAgeDays,
    },
    server: {
      tokens: config.server.tokens,
      issuer: config.server.issuer,
      audience: config.server.audience,
      rateLimitPerMinute: config.server.rateLimitPerMinute,
    },
    logLevel: config.log.level,
    logLimits: { maxBytes: config.monitor.logMaxBytes, keep: config.monitor.logFiles },
    ...(trustNote ? { trustNote } : {}),
  };
}

/**
 * Loads the configuration that applies in `cwd` (environment > project file > user file > defaults, from the
 * validated-config cache when nothing it depends on changed), registers its secrets with the log scrubber and
 * resolves it. Never throws for bad input: problems are listed in `loaded.problems`, with defaults standing in.
 */
export async function loadSettings(options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<LoadedSettings> {
  const { loaded, error } = await loadConfigThroughConfigCache(options);
  for (const secret of configSecrets(loaded.config)) registerSecret(secret);
  const result: LoadedSettings = { settings: resolveSettings(loaded.config, loaded.home, loaded), loaded };
  if (error) result.configCacheError = error;
  return result;
}

/**
 * The settings of another directory than the command's (a `--dir`), where a problem is not defaulted over: the user
 * named that directory, so its configuration must hold, and the error says how to see what is wrong.
 */
export async function settingsIn(dir: string, env: NodeJS.ProcessEnv): Promise<Settings> {
  const { settings, loaded } = await loadSettings({ cwd: dir, env });
  const problems = loaded.problems.map((p) => p.message);
  if (problems.length > 0)
    throw new UserError(
      `the configuration in ${dir} has problems: ${problems.join('; ')} (\`taskhooks config --dir ${dir}\` shows them)`,
      2,
    );
  return settings;
}
