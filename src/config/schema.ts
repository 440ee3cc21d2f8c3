// The single source of taskhooks' configuration shape. zod/mini keeps the hook bundles small:
// the full zod build is only loaded by the server and the network stack.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { ownEntriesOf } from '../sources/contract.js';
import { SOURCE_NAMES, SOURCES, definitionOf } from '../sources/registry.js';
import { WORK_COMMENTS } from '../sources/work-sharing.js';
import { DEFAULT_LOG_LIMITS } from '../log/rotate.js';
import { TASK_STATUSES } from '../tasks/task.js';
import { HOOK_DEADLINE_DEFAULTS } from './hook-deadlines.js';

// zod/mini ships without messages; English ones make config errors say what is allowed.
z.config(en());

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const GUARD_MODES = ['off', 'ask', 'deny'] as const;

/**
 * The longest PreToolUse live fetch. The hook's watchdog gives up 2 s after this, and that must come before Claude
 * Code's 5 s timeout for the hook (src/install/writing/settings.ts): the hook then logs why and answers, failing open.
 */
export const PRE_TOOL_USE_DEADLINE_MAX_MS = 2500;
/**
 * The longest SessionStart live fetch: a slow program (a task CLI reading a large repository) may need it once. Its
 * watchdog gives up 2.5 s after this, before Claude Code's SessionStart timeout (src/install/writing/settings.ts).
 */
export const SESSION_START_DEADLINE_MAX_MS = 30_000;

const seconds = z.number().check(z.int(), z.gte(0));
const positiveInt = z.number().check(z.int(), z.gte(1));
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

/** An RFC 6901 JSON pointer: '' is the whole value, '/a/0' its `a`'s first item; `~1` stands for '/', `~0` for '~'. */
const jsonPointer = z
  .string()
  .check(z.regex(/^(\/([^~/]|~[01])*)*$/, "expected a JSON pointer such as '/data/tasks' ('' for the whole answer)"));

/** The generic adapter's tool call, and where its JSON answer keeps the tasks (without `tasks`: shown as text). */
const ToolSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  args: z._default(z.record(z.string(), z.unknown()), {}),
  tasks: z.optional(
    z.strictObject({
      list: z._default(jsonPointer, ''),
      id: z._default(jsonPointer, '/id'),
      title: z._default(jsonPointer, '/title'),
      status: z._default(jsonPointer, '/status'),
      priority: z._default(jsonPointer, '/priority'),
      description: z._default(jsonPointer, '/description'),
    }),
  ),
});

const ServerTokenSchema = z.strictObject({
  principal: z.string().check(z.minLength(1)),
  token: z.string().check(z.minLength(32, 'must be at least 32 characters: shorter tokens can be guessed')),
  tools: z._default(z.array(z.string()), ['*']),
  /** The projects (by name on the task server) the token may read and write; every project when absent. */
  projects: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1, 'name at least one project'))),
});

/**
 * Each source's own entries, `source.<name>`, as its definition declares them. Typed loosely here: the source's
 * adapter reads them typed by its own definition (optionsOf), which is the one schema of that shape.
 */
const SOURCE_OWN_ENTRIES = ownEntriesOf(SOURCES, z) as Record<never, never>;

export const ConfigSchema = z.strictObject({
  source: z.prefault(
    z
      .strictObject({
        adapter: z.optional(z.enum(SOURCE_NAMES)),
        servers: z._default(z.array(httpUrl), []),
        trackingUrl: z.optional(httpUrl),
        project: z.optional(z.string().check(z.minLength(1))),
        /** Who you are on the task server (the principal your token stands for): "assigned to you" in the context. */
        user: z.optional(z.string().check(z.minLength(1))),
        command: z.optional(z.string().check(z.minLength(1))),
        args: z._default(z.array(z.string()), []),
        env: z._default(z.record(z.string(), z.string()), {}),
        timeoutMs: z._default(z.number().check(z.int(), z.gte(100), z.lte(120_000)), 5000),
        rateLimitPerSecond: z._default(positiveInt, 20),
        rateLimitBurst: z._default(positiveInt, 40),
        /** A tracker's list is read this many pages and items at most (a list without end stops here, said so). */
        maxPages: z._default(z.number().check(z.int(), z.gte(1), z.lte(1000)), 50),
        maxItems: z._default(z.number().check(z.int(), z.gte(1), z.lte(100_000)), 5000),
        tool: z.optional(ToolSchema),
        statuses: z._default(z.record(z.string().check(z.minLength(1)), z.enum(TASK_STATUSES)), {}),
        ...SOURCE_OWN_ENTRIES,
      })
      .check(
        // The configured source's own refusal of settings it cannot work with, said on `source.adapter`.
        z.superRefine((s, ctx) => {
          const problem = s.adapter === undefined ? undefined : definitionOf(s.adapter).check?.(s);
          if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['adapter'], input: s.adapter });
        }),
      ),
    {},
  ),
  auth: z.prefault(
    z.strictObject({
      keycloakUrl: z.optional(httpUrl),
      realm: z.optional(z.string().check(z.minLength(1))),
      issuer: z.optional(httpUrl),
      clientId: z.optional(z.string().check(z.minLength(1))),
      clientSecret: z.optional(z.string().check(z.minLength(1))),
      tokenAuthMethod: z._default(z.enum(['client_secret_post', 'client_secret_basic']), 'client_secret_post'),
      scope: z.optional(z.string()),
      token: z.optional(z.string().check(z.minLength(1))),
      apiKey: z.optional(z.string().check(z.minLength(1))),
      apiKeyHeader: z._default(z.string().check(z.minLength(1)), 'X-API-Key'),
      mcpJsonServer: z.optional(z.string()),
    }),
    {},
  ),
  cache: z.prefault(
    z.strictObject({
      taskTtlSeconds: z._default(seconds, 900),
      gitTtlSeconds: z._default(seconds, 300),
    }),
    {},
  ),
  hooks: z.prefault(
    z.strictObject({
      sessionStartDeadlineMs: z._default(
        z.number().check(z.int(), z.gte(0), z.lte(SESSION_START_DEADLINE_MAX_MS)),
        HOOK_DEADLINE_DEFAULTS.sessionStartDeadlineMs,
      ),
      preToolUseDeadlineMs: z._default(
        z.number().check(z.int(), z.gte(0), z.lte(PRE_TOOL_USE_DEADLINE_MAX_MS)),
        HOOK_DEADLINE_DEFAULTS.preToolUseDeadlineMs,
      ),
      maxPendingTasks: z._default(z.number().check(z.int(), z.gte(0), z.lte(50)), 5),
      contextBudget: z._default(z.number().check(z.int(), z.gte(200), z.lte(9000)), 4000),
      // False: no hook after a batch of built-in tool calls (PostToolBatch), so a call costs no hook unless a guard or
      // the edit reminder needs one; news then waits for the next prompt. Read by install.
      midTurnNews: z._default(z.boolean(), true),
      // A session no hook has seen for this long has ended (its claims are free), though no SessionEnd said so.
      sessionIdleMinutes: z._default(z.number().check(z.int(), z.gte(1), z.lte(24 * 60)), 120),
      // A session's claim on the task server lasts this long unless the monitor renews it: how long a task stays
      // taken after its session died with no monitor running.
      claimLeaseSeconds: z._default(z.number().check(z.int(), z.gte(30), z.lte(24 * 60 * 60)), 600),
      // False: a session's work record keeps its commits and files, never its last words.
      closingWords: z._default(z.boolean(), true),
      // A tracker's task gets a session's work record as a comment: never (off), when the session ended with the task
      // done (done), or whenever a session ends holding it, handing it over (ended).
      workComments: z._default(z.enum(WORK_COMMENTS), 'off'),
      guards: z.prefault(
        z.strictObject({
          protectedPaths: z._default(z.array(z.string()), []),
          requireActiveTask: z._default(z.enum(GUARD_MODES), 'off'),
          protectedBranches: z._default(z.array(z.string()), []),
        }),
        {},
      ),
    }),
    {},
  ),
  monitor: z.prefault(
    z.strictObject({
      taskSchedule: z._default(z.string(), '*/2 * * * *'),
      // The fallback poll of git state, only for repositories whose metadata cannot be watched (a filesystem without
      // change notification, the inotify watch limit reached): watched ones are read when they change. Every 10 min:
      // each task cycle reads every project's git state too and SessionStart re-reads what changed since it was
      // cached, so the poll only bounds how stale an unwatchable repository's state in the cache gets, and an idle
      // monitor stays idle.
      gitSchedule: z._default(z.string(), '*/10 * * * *'),
      staleProjectDays: z._default(positiveInt, 14),
      // No default here: a state directory's own port (src/home/endpoint.ts), so two homes never share one.
      hookPort: z.optional(z.number().check(z.int(), z.gte(0), z.lte(65535))),
      // Unset: the state directory's own, beside hookPort (src/home/endpoint.ts), which an install's .mcp.json names.
      storeServerPort: z.optional(z.number().check(z.int(), z.gte(0), z.lte(65535))),
      logMaxBytes: z._default(positiveInt, DEFAULT_LOG_LIMITS.maxBytes),
      logFiles: z._default(positiveInt, DEFAULT_LOG_LIMITS.keep),
      // Backups of the embedded task store (tasks.db): one when the monitor starts, then on this schedule whenever the
      // tasks changed since the last one. Every 4 hours: a few hours of work at most to redo after a disaster, and
      // an idle monitor stays idle.
      backupSchedule: z._default(z.string(), '41 */4 * * *'),
      backupKeep: z._default(z.number().check(z.int(), z.gte(1), z.lte(1000)), 12),
      backupMaxAgeDays: z._default(positiveInt, 30),
    }),
    {},
  ),
  server: z.prefault(
    z.strictObject({
      tokens: z._default(z.array(ServerTokenSchema), []),
      issuer: z.optional(httpUrl),
      audience: z.optional(z.string()),
      rateLimitPerMinute: z._default(positiveInt, 600),
      /** `taskhooks serve`'s team store: a postgres:// URL (a secret: it may hold a password). */
      database: z.optional(z.string().check(z.minLength(1))),
      /** The change feed's own URL (LISTEN), when `database` goes through a pooler in transaction mode (a secret). */
      listenDatabase: z.optional(z.string().check(z.minLength(1))),
    }),
    {},
  ),
  log: z.prefault(z.strictObject({ level: z._default(z.enum(LOG_LEVELS), 'info') }), {}),
});

export type Config = z.infer<typeof ConfigSchema>;
