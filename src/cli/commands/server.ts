import path from 'node:path';
import { createAsyncFileLogger, rotateEvery, type Logger } from '../../log/index.js';
import type { TaskStore, Unpushed } from '../../server/index.js';
import { defineCommand } from '../args.js';
import { UserError } from '../../errors/user.js';
import type { CliContext, Command } from '../command.js';
import { paint } from '../output.js';
import { homeFiles } from '../../home/files.js';
import { openServedStore } from '../../sources/embedded/store-admin.js';
import { DATABASE_FLAG, LISTEN_DATABASE_FLAG, openTeamStore } from '../team-store.js';
import { serverDatabase } from '../../config/settings.js';
import { databaseUrls, LISTEN_DATABASE_ENV, SERVER_TOKEN_ENV, serveAuth } from '../serve-secrets.js';

const DB_FLAG = {
  type: 'string',
  placeholder: 'FILE',
  description: 'the task store to serve (default: $TASKHOOKS_HOME/tasks.db, the built-in one)',
} as const;

/**
 * A project on another source gets no second task list beside its own: only the hook tool. Nor does a Node with no
 * SQLite library: tools that could only fail are not offered (the session's start says why, and the fix).
 */
async function servesStore(ctx: CliContext, values: { 'hooks-only'?: boolean; db?: string }): Promise<boolean> {
  return (
    !values['hooks-only'] &&
    (values.db !== undefined || ctx.settings.source.plan.kind === 'embedded') &&
    !('problem' in (await import('../../sqlite/driver.js')).sqliteDriver())
  );
}

/** The hook tool's host; with `startAtPrompt` it tells a session started in this folder its start at its first prompt. */
const hookHost = (ctx: CliContext, startAtPrompt: boolean) =>
  import('../../hooks/hosts/mcp-tool.js').then((m) => m.mcpToolHost(ctx.env, startAtPrompt ? ctx.cwd : undefined));

function dbFile(ctx: CliContext, flag: string | undefined, home: string): string {
  return flag ? path.resolve(ctx.cwd, flag) : homeFiles(home).tasks;
}

function intFlag(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UserError(`${flag} must be an integer ${min}..${max}, got "${value}"`, 2);
  return n;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** The checked host, port and rate limit of `serve`. */
function listenOptions(
  values: {
    host: string;
    port: string;
    'no-auth': boolean;
    'allow-remote': boolean;
    'rate-limit'?: string | undefined;
  },
  isLoopbackHost: (host: string) => boolean,
  defaultRateLimit: number,
): { host: string; port: number; remote: boolean; rateLimitPerMinute: number } {
  const host = values.host;
  const port = intFlag(values.port, '--port', 0, 65535);
  if (values['no-auth'] && !isLoopbackHost(host))
    throw new UserError(`--no-auth is allowed only on a loopback host (127.0.0.1, ::1, localhost), not ${host}`, 2);
  const remote = !isLoopbackHost(host);
  if (remote && !values['allow-remote']) {
    throw new UserError(
      `--host ${host} is reachable from the network, and without TLS every token crosses it in clear: pass --allow-remote to accept that (better: serve on 127.0.0.1 behind a TLS proxy)`,
      2,
    );
  }
  const rateLimitPerMinute = values['rate-limit']
    ? intFlag(values['rate-limit'], '--rate-limit', 1, 1_000_000)
    : defaultRateLimit;
  return { host, port, remote, rateLimitPerMinute };
}

/** The store `serve` works on: a team's PostgreSQL, or a SQLite file (the embedded one by default). */
async function serveStore(
  ctx: CliContext,
  values: {
    db?: string | undefined;
    database?: string | undefined;
    'listen-database'?: string | undefined;
    'database-password-file'?: string | undefined;
  },
  log: Logger,
): Promise<{ store: TaskStore; where: string }> {
  const { home } = ctx.settings;
  if (values.database && values.db)
    throw new UserError('--database and --db contradict each other: a PostgreSQL URL or a SQLite file, not both', 2);
  if (values['listen-database'] && values.db)
    throw new UserError('--listen-database is for a PostgreSQL store (--database), not a SQLite file (--db)', 2);
  const given = values.db ? {} : databaseUrls(ctx, values, await serverDatabase({ cwd: ctx.cwd, env: ctx.env }));
  if (given.database !== undefined) {
    const team = await openTeamStore(given.database, given.listen, log);
    return { store: team.store, where: `PostgreSQL ${team.shown}` };
  }
  const file = dbFile(ctx, values.db, home);
  return { store: await openServedStore(file, { home, log }), where: file };
}

/** The server's own log, server.log in the state directory. */
function serverLog(o: Pick<Parameters<typeof createAsyncFileLogger>[0], 'home' | 'level' | 'limits'>) {
  return createAsyncFileLogger({ ...o, file: 'server.log', name: 'server' });
}

/** What `serve` prints once it listens: where, on what, who may call, and the limits. */
function announce(
  ctx: CliContext,
  shown: {
    url: string;
    port: number;
    where: string;
    described: string[] | undefined;
    logFile: string;
    unpushed: Unpushed | undefined;
    unsettled: string | undefined;
  },
  listen: { host: string; remote: boolean; rateLimitPerMinute: number },
): void {
  const { out } = ctx;
  const say = (line: string): void => void out.stdout.write(`${line}\n`);
  const health = `health: ${shown.url.replace(/\/mcp$/, '/health')}`;
  // When nothing can be pushed, the line after Tasks says so, and why.
  say(
    `taskhooks task server: ${shown.url} (${shown.unpushed ? health : `${health}; changes pushed at ${shown.url}/live`})`,
  );
  say(`Tasks: ${shown.where}`);
  if (shown.unpushed) say(paint(out, 'yellow', `Push: OFF — ${shown.unpushed.why}; ${shown.unpushed.fix}`));
  if (shown.unsettled) say(paint(out, 'yellow', `Check: ${shown.unsettled}`));
  if (!shown.described)
    say(
      paint(
        out,
        'yellow',
        `Auth: OFF (--no-auth) — anyone who can reach ${listen.host}:${shown.port} can read and change tasks`,
      ),
    );
  else say(`Auth: a token is required (Authorization: Bearer); accepted: ${shown.described.join('; ')}`);
  if (listen.remote)
    say(
      paint(
        out,
        'yellow',
        `Remote: ${listen.host} is reachable from the network and this server speaks plain HTTP: tokens cross it in clear (--allow-remote)`,
      ),
    );
  say(
    `Rate limit: ${listen.rateLimitPerMinute} tool calls/min per principal and client address, in this process. Logs: ${shown.logFile}. Ctrl-C stops.`,
  );
}

export const serverCommands: Command[] = [
  defineCommand({
    name: 'serve',
    summary: 'Run the reference MCP task server over HTTP (POST /mcp, GET /health)',
    description:
      'Speaks the agenthub and task-tracking tools over Streamable HTTP, for a team or a test. Bearer tokens from --token-file,\n' +
      `$${SERVER_TOKEN_ENV}, server.tokens in the config, or one generated into $TASKHOOKS_HOME (0600); JWTs when server.issuer\n` +
      'is set. A secret on the command line is visible in ps: --token and a password in --database work, with a warning. Ctrl-C stops it.\n' +
      'Behind a pooler in transaction mode (PgBouncer, a hosted pooled endpoint) give --listen-database a direct URL too: serve\n' +
      'checks at start that a NOTIFY comes back and says so when it does not (docs/team-server.md, "Behind a connection pooler").',
    flags: {
      host: {
        type: 'string',
        placeholder: 'HOST',
        default: '127.0.0.1',
        description: 'the address to listen on (default 127.0.0.1; anything else needs --allow-remote)',
      },
      port: {
        type: 'string',
        placeholder: 'PORT',
        default: '8765',
        description: 'the port to listen on (default 8765; 0: any free port)',
      },
      db: DB_FLAG,
      database: {
        ...DATABASE_FLAG,
        description: `${DATABASE_FLAG.description}; default: server.database, else $DATABASE_URL when it is postgres://`,
      },
      'listen-database': {
        ...LISTEN_DATABASE_FLAG,
        description: `${LISTEN_DATABASE_FLAG.description}; default: server.listenDatabase, else $${LISTEN_DATABASE_ENV}, else --database`,
      },
      'database-password-file': {
        type: 'string',
        placeholder: 'FILE',
        description: "the database password, on the file's first line (instead of PGPASSWORD; for both URLs)",
      },
      'token-file': {
        type: 'string',
        placeholder: 'FILE',
        description: `accept the bearer token on the file's first line too (or set $${SERVER_TOKEN_ENV}; at least 32 characters)`,
      },
      'token-projects': {
        type: 'string',
        placeholder: 'NAMES',
        description:
          'scope the token of --token-file, $TASKHOOKS_SERVER_TOKEN or --token to these projects (comma-separated)',
      },
      token: {
        type: 'string',
        placeholder: 'TOKEN',
        description: 'accept this bearer token too; visible in ps, so --token-file is better',
      },
      'no-auth': { type: 'boolean', default: false, description: 'accept calls without a token (loopback hosts only)' },
      'allow-remote': {
        type: 'boolean',
        default: false,
        description: 'allow a --host reachable from the network (plain HTTP: tokens cross it in clear)',
      },
      'rate-limit': {
        type: 'string',
        placeholder: 'N',
        description: 'tool calls per minute per principal (default: server.rateLimitPerMinute, 600)',
      },
    },
    examples: [
      { command: 'taskhooks serve', description: 'on 127.0.0.1:8765 with the built-in store and a generated token' },
      { command: 'taskhooks serve --port 9000 --db ./team-tasks.db --token-file ~/.config/taskhooks/team-token' },
      {
        command: 'PGPASSWORD=… taskhooks serve --database postgres://taskhooks@db.internal/taskhooks',
        description: 'a team store; run several behind a proxy',
      },
      {
        command:
          'taskhooks serve --database postgres://taskhooks@pgbouncer:6432/taskhooks --listen-database postgres://taskhooks@db.internal/taskhooks',
        description:
          'queries through a pooler in transaction mode, LISTEN on a direct connection (see docs/team-server.md)',
      },
    ],
    async run(ctx, { values }) {
      const { server: serverSettings } = ctx.settings;
      // The server (SDK, hono, jose, full zod) loads only for the commands that serve: every other command starts lighter.
      const server = await import('../../server/index.js');
      const listen = listenOptions(values, server.isLoopbackHost, serverSettings.rateLimitPerMinute);
      const noAuth = values['no-auth'];
      if (noAuth && (values.token || values['token-file']))
        throw new UserError('--no-auth and a token contradict each other: choose one', 2);
      const secured = noAuth
        ? undefined
        : serveAuth(ctx, values, { minTokenLength: server.MIN_TOKEN_LENGTH, defaultAudience: server.DEFAULT_AUDIENCE });
      const { home, logLevel: level, logLimits: limits } = ctx.settings;
      const logger = serverLog({ home, level, limits });
      const stopRotating = rotateEvery(logger);
      let opened: { store: TaskStore; where: string } | undefined;
      let running;
      try {
        opened = await serveStore(ctx, values, logger.logger);
        running = await server.startHttpServer({
          host: listen.host,
          port: listen.port,
          store: opened.store,
          log: logger.logger,
          auth: secured?.auth ?? 'none',
          rateLimitPerMinute: listen.rateLimitPerMinute,
          allowRemote: values['allow-remote'],
        });
      } catch (err) {
        await opened?.store.close();
        stopRotating();
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
          throw new UserError(`Port ${listen.port} on ${listen.host} is already in use: choose another with --port`);
        throw err;
      }
      const { unpushed } = opened.store;
      if (unpushed) logger.logger.warn({ fix: unpushed.fix }, unpushed.why);
      announce(
        ctx,
        {
          ...running,
          where: opened.where,
          described: secured?.described,
          logFile: logger.file,
          unpushed,
          unsettled: opened.store.unsettled,
        },
        listen,
      );
      const signal = await waitForSignal();
      logger.logger.info({ signal }, 'task server stopping');
      stopRotating();
      await running.close();
      await opened.store.close();
      logger.flush();
      return 0;
    },
  }),
  defineCommand({
    name: 'mcp',
    summary: "Serve the task store and taskhooks' hook tool over stdio (for a project's .mcp.json or the plugin)",
    description:
      "What Claude Code starts from .mcp.json, or the plugin's bridge when no monitor answers it: the hook tool its mcp_tool hooks call on every tool call (no process each), and, where the project uses the built-in store, the tools Claude uses to list and change tasks itself; stdout is the MCP stream, logs go to server.log and hooks.log.",
    flags: {
      db: DB_FLAG,
      'hooks-only': {
        type: 'boolean',
        description: 'serve only the hook tool, never the task store',
        default: false,
      },
      'start-at-prompt': {
        type: 'boolean',
        description:
          "tell the session's start (its tasks, git state) at its first prompt: the plugin's bridge, which runs no SessionStart hook",
        default: false,
      },
      tools: {
        type: 'string',
        placeholder: 'SET',
        description:
          "the task tools offered: session (list_tasks, add_task, update_task: the default), or all (agenthub's manage_* and the tracker's), agenthub, tracker",
      },
    },
    examples: [
      {
        command: 'taskhooks mcp',
        description: 'what `taskhooks install --transport mcp` puts in .mcp.json (absolute paths)',
      },
      {
        command: 'claude mcp add --scope local taskhooks -- taskhooks mcp',
        description: 'register it with Claude Code for you alone, instead of in .mcp.json',
      },
    ],
    async run(ctx, { values }) {
      const { home, logLevel } = ctx.settings;
      // Claude Code's first prompt waits for this server's handshake: only the transport loads before it. The hook
      // host (every event's code) loads at the first hook call, after the answer (loaded beside the transport, its
      // ~45 ms of evaluation sat on the handshake's one thread); the task store's at the first task tool call.
      let host: ReturnType<typeof loadHost> | undefined;
      const loadHost = () => hookHost(ctx, values['start-at-prompt'] === true);
      const [
        { serveStdio },
        { lazyStore },
        { HOOK_TOOL },
        { MAX_HOOK_INPUT_BYTES },
        { familiesAsked },
        { locateScope },
      ] = await Promise.all([
        import('../../server/stdio.js'),
        import('../../store/store.js'),
        import('../../hooks/hosts/mcp-tool-input.js'),
        import('../../hooks/hosts/stdin-read.js'),
        import('../../server/tools/tool-families.js'),
        import('../../tasks/scope.js'),
      ]);
      // stdout is the MCP stream: diagnostics go to server.log only.
      const logger = createAsyncFileLogger({
        home,
        file: 'server.log',
        level: logLevel,
        name: 'server-stdio',
        limits: ctx.settings.logLimits,
      });
      const stopRotating = rotateEvery(logger);
      const store = (await servesStore(ctx, values))
        ? lazyStore(async () =>
            (await import('../../sources/embedded/store-admin.js')).openServedStore(dbFile(ctx, values.db, home), {
              home,
              log: logger.logger,
            }),
          )
        : undefined;
      try {
        // Started in the session's folder: its project and branch (read at each call: a session may switch) are the
        // session tools' default, and Claude Code names the session in the environment of the servers it starts.
        const sessionId = ctx.env.CLAUDE_CODE_SESSION_ID || undefined;
        const place = () => ({ ...locateScope(ctx.settings.project, ctx.cwd).scope, sessionId });
        await serveStdio({
          store,
          tools: familiesAsked(typeof values.tools === 'string' ? values.tools : undefined, ['session']),
          sessionPlace: () => Promise.resolve(place()),
          hookTool: { name: HOOK_TOOL, call: async (args) => (await (host ??= loadHost())).call(args) },
          log: logger.logger,
          maxLineBytes: MAX_HOOK_INPUT_BYTES,
        });
      } finally {
        (await host)?.close();
        stopRotating();
        await store?.close();
        logger.flush();
      }
      return 0;
    },
  }),
];
