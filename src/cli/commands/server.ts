import path from 'node:path';
import { createFileLogger, registerSecret, rotateEvery } from '../../log/index.js';
import type { HttpAuthOptions, ServerToken } from '../../server/index.js';
import { defineCommand } from '../args.js';
import { UserError } from '../../errors/user.js';
import type { CliContext, Command } from '../command.js';
import { paint } from '../output.js';
import { homeFiles } from '../../home/files.js';
import { ensureServerToken } from '../../home/secrets.js';
import { invalidateOnChange } from '../../sources/embedded/store.js';
import { DATABASE_FLAG, openTeamStore } from '../team-store.js';
import { serverDatabase } from '../../config/settings.js';
import type { TaskStore } from '../../server/index.js';

const DB_FLAG = {
  type: 'string',
  placeholder: 'FILE',
  description: 'the task store to serve (default: $TASKHOOKS_HOME/tasks.db, the embedded one)',
} as const;

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

export const serverCommands: Command[] = [
  defineCommand({
    name: 'serve',
    summary: 'Run the reference MCP task server over HTTP (POST /mcp, GET /health)',
    description:
      'Speaks the agenthub and task-tracking tools over Streamable HTTP, for a team or a test. Bearer tokens from --token, from\n' +
      'server.tokens in the config, or one generated into $TASKHOOKS_HOME (0600); JWTs when server.issuer is set. Ctrl-C stops it.',
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
      database: { ...DATABASE_FLAG, description: `${DATABASE_FLAG.description}; default: server.database` },
      token: {
        type: 'string',
        placeholder: 'TOKEN',
        description: 'accept this bearer token too (at least 32 characters)',
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
      { command: 'taskhooks serve', description: 'on 127.0.0.1:8765 with the embedded store and a generated token' },
      { command: 'taskhooks serve --port 9000 --db ./team-tasks.db' },
      {
        command: 'PGPASSWORD=… taskhooks serve --database postgres://taskhooks@db.internal/taskhooks',
        description: 'a team store; run several behind a proxy',
      },
    ],
    async run(ctx, { values }) {
      const { home, server: serverSettings, logLevel } = ctx.settings;
      // The server (SDK, hono, jose, full zod) loads only for the commands that serve: every other command starts lighter.
      const {
        DEFAULT_AUDIENCE,
        MIN_TOKEN_LENGTH,
        isLoopbackHost,
        openTaskDb,
        sqliteStore,
        startHttpServer,
        storeFileOptions,
      } = await import('../../server/index.js');
      const host = values.host;
      const port = intFlag(values.port, '--port', 0, 65535);
      const noAuth = values['no-auth'];
      if (noAuth && !isLoopbackHost(host))
        throw new UserError(`--no-auth is allowed only on a loopback host (127.0.0.1, ::1, localhost), not ${host}`, 2);
      if (noAuth && values.token) throw new UserError('--no-auth and --token contradict each other: choose one', 2);
      const remote = !isLoopbackHost(host);
      if (remote && !values['allow-remote']) {
        throw new UserError(
          `--host ${host} is reachable from the network, and without TLS bearer tokens cross it in clear: pass --allow-remote to accept that (better: serve on 127.0.0.1 behind a TLS proxy)`,
          2,
        );
      }
      const rateLimitPerMinute = values['rate-limit']
        ? intFlag(values['rate-limit'], '--rate-limit', 1, 1_000_000)
        : serverSettings.rateLimitPerMinute;
      const { out } = ctx;
      const say = (line: string): void => void out.stdout.write(`${line}\n`);

      let auth: HttpAuthOptions | 'none' = 'none';
      const described: string[] = [];
      if (!noAuth) {
        const tokens: ServerToken[] = [...serverSettings.tokens];
        if (values.token) {
          if (values.token.length < MIN_TOKEN_LENGTH)
            throw new UserError(
              `--token must be at least ${MIN_TOKEN_LENGTH} characters long (\`openssl rand -base64 32\` makes one)`,
              2,
            );
          registerSecret(values.token);
          tokens.unshift({ principal: 'cli', token: values.token, tools: ['*'] });
          described.push('the --token token (principal "cli")');
        }
        if (serverSettings.tokens.length)
          described.push(`${serverSettings.tokens.length} token(s) from config server.tokens`);
        if (tokens.length === 0) {
          const generated = ensureServerToken(home);
          tokens.push({ principal: 'local', token: generated.token, tools: ['*'] });
          described.push(
            `the token in ${generated.file} (principal "local"${generated.created ? ', created now, mode 0600' : ''})`,
          );
        }
        if (serverSettings.issuer)
          described.push(
            `JWTs from ${serverSettings.issuer} (audience ${serverSettings.audience ?? DEFAULT_AUDIENCE})`,
          );
        auth = { tokens, issuer: serverSettings.issuer, audience: serverSettings.audience };
      }

      const databaseRaw =
        values.database ?? (values.db ? undefined : await serverDatabase({ cwd: ctx.cwd, env: ctx.env }));
      if (values.database && values.db)
        throw new UserError(
          '--database and --db contradict each other: a PostgreSQL URL or a SQLite file, not both',
          2,
        );
      const logger = createFileLogger({
        home,
        file: 'server.log',
        sync: false,
        level: logLevel,
        name: 'server',
        limits: ctx.settings.logLimits,
      });
      const stopRotating = rotateEvery(logger);
      let store: TaskStore;
      let where: string;
      if (databaseRaw !== undefined) {
        let team;
        try {
          team = await openTeamStore(databaseRaw, values.database ? '--database' : 'server.database', logger.logger);
        } finally {
          if (!team) stopRotating();
        }
        store = team.store;
        where = `PostgreSQL ${team.shown}`;
      } else {
        const file = dbFile(ctx, values.db, home);
        const db = openTaskDb(file, storeFileOptions(file, home, logger.logger));
        invalidateOnChange(db, { home, log: logger.logger });
        store = sqliteStore(db);
        where = file;
      }
      let server;
      try {
        server = await startHttpServer({
          host,
          port,
          store,
          log: logger.logger,
          auth,
          rateLimitPerMinute,
          allowRemote: values['allow-remote'],
        });
      } catch (err) {
        await store.close();
        stopRotating();
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
          throw new UserError(`Port ${port} on ${host} is already in use: choose another with --port`);
        throw err;
      }
      say(
        `taskhooks task server: ${server.url} (health: ${server.url.replace(/\/mcp$/, '/health')}; changes pushed at ${server.url}/live)`,
      );
      say(`Tasks: ${where}`);
      if (noAuth)
        say(
          paint(
            out,
            'yellow',
            `Auth: OFF (--no-auth) — anyone who can reach ${host}:${server.port} can read and change tasks`,
          ),
        );
      else say(`Auth: Bearer token required; accepted: ${described.join('; ')}`);
      if (remote)
        say(
          paint(
            out,
            'yellow',
            `Remote: ${host} is reachable from the network and this server speaks plain HTTP: tokens cross it in clear (--allow-remote)`,
          ),
        );
      say(
        `Rate limit: ${rateLimitPerMinute} tool calls/min per principal and client address, in this process. Logs: ${logger.file}. Ctrl-C stops.`,
      );

      const signal = await waitForSignal();
      logger.logger.info({ signal }, 'task server stopping');
      stopRotating();
      await server.close();
      await store.close();
      logger.flush();
      return 0;
    },
  }),
  defineCommand({
    name: 'mcp',
    summary: "Serve the task store over stdio (for a project's .mcp.json)",
    description:
      'What Claude Code starts from .mcp.json so Claude can list and change tasks itself; stdout is the MCP stream, logs go to server.log.',
    flags: { db: DB_FLAG },
    examples: [
      { command: 'taskhooks mcp', description: 'what `taskhooks install` puts in .mcp.json (with absolute paths)' },
      {
        command: 'claude mcp add --scope local taskhooks -- taskhooks mcp',
        description: 'register it with Claude Code for you alone, instead of in .mcp.json',
      },
    ],
    async run(ctx, { values }) {
      const { home, logLevel } = ctx.settings;
      const { openTaskDb, serveStdio, sqliteStore, storeFileOptions } = await import('../../server/index.js');
      // stdout is the MCP stream: diagnostics go to server.log only.
      const logger = createFileLogger({
        home,
        file: 'server.log',
        sync: false,
        level: logLevel,
        name: 'server-stdio',
        limits: ctx.settings.logLimits,
      });
      const stopRotating = rotateEvery(logger);
      const file = dbFile(ctx, values.db, home);
      const db = openTaskDb(file, storeFileOptions(file, home, logger.logger));
      invalidateOnChange(db, { home, log: logger.logger });
      try {
        await serveStdio({ store: sqliteStore(db), log: logger.logger });
      } finally {
        stopRotating();
        db.close();
        logger.flush();
      }
      return 0;
    },
  }),
];
