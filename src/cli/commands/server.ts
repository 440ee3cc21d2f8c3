import path from 'node:path';
import { createFileLogger, registerSecret } from '../../log/index.js';
import type { HttpAuthOptions, ServerToken } from '../../server/index.js';
import { parseFlags } from '../args.js';
import { UserError } from '../../errors/user.js';
import { type CliContext, type Command } from '../command.js';
import { paint } from '../output.js';
import { homeFiles } from '../../home/files.js';
import { ensureServerToken } from '../../home/secrets.js';
import { invalidateOnChange } from '../../sources/embedded.js';

const SERVE_USAGE = 'taskhooks serve [--host 127.0.0.1 [--allow-remote]] [--port 8765] [--db FILE] [--token TOKEN] [--no-auth] [--rate-limit N]';
const MCP_USAGE = 'taskhooks mcp [--db FILE]';

function dbFile(ctx: CliContext, flag: string | undefined, home: string): string {
  return flag ? path.resolve(ctx.cwd, flag) : homeFiles(home).tasks;
}

function intFlag(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`${flag} must be an integer ${min}..${max}, got "${value}"`, 2);
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
  {
    name: 'serve',
    summary: 'Run the reference MCP task server over HTTP (POST /mcp, GET /health)',
    usage: SERVE_USAGE,
    async run(ctx) {
      const { values } = parseFlags(
        ctx.args,
        {
          host: { type: 'string', default: '127.0.0.1' },
          port: { type: 'string', default: '8765' },
          db: { type: 'string' },
          token: { type: 'string' },
          'no-auth': { type: 'boolean', default: false },
          'allow-remote': { type: 'boolean', default: false },
          'rate-limit': { type: 'string' },
        },
        SERVE_USAGE,
      );
      const { home, server: serverSettings, logLevel } = ctx.settings;
      // The server (SDK, hono, jose, full zod) loads only for the commands that serve: every other command starts lighter.
      const { DEFAULT_AUDIENCE, MIN_TOKEN_LENGTH, isLoopbackHost, openTaskDb, startHttpServer, storeFileOptions } = await import('../../server/index.js');
      const host = values.host;
      const port = intFlag(values.port, '--port', 0, 65535);
      const noAuth = values['no-auth'];
      if (noAuth && !isLoopbackHost(host)) throw new UserError(`--no-auth is allowed only on a loopback host (127.0.0.1, ::1, localhost), not ${host}`, 2);
      if (noAuth && values.token) throw new UserError('--no-auth and --token contradict each other: choose one', 2);
      const remote = !isLoopbackHost(host);
      if (remote && !values['allow-remote']) {
        throw new UserError(`--host ${host} is reachable from the network, and without TLS bearer tokens cross it in clear: pass --allow-remote to accept that (better: serve on 127.0.0.1 behind a TLS proxy)`, 2);
      }
      const rateLimitPerMinute = values['rate-limit'] ? intFlag(values['rate-limit'], '--rate-limit', 1, 1_000_000) : serverSettings.rateLimitPerMinute;
      const { out } = ctx;
      const say = (line: string): void => void out.stdout.write(`${line}\n`);

      let auth: HttpAuthOptions | 'none' = 'none';
      const described: string[] = [];
      if (!noAuth) {
        const tokens: ServerToken[] = [...serverSettings.tokens];
        if (values.token) {
          if (values.token.length < MIN_TOKEN_LENGTH) throw new UserError(`--token must be at least ${MIN_TOKEN_LENGTH} characters long (\`openssl rand -base64 32\` makes one)`, 2);
          registerSecret(values.token);
          tokens.unshift({ principal: 'cli', token: values.token, tools: ['*'] });
          described.push('the --token token (principal "cli")');
        }
        if (serverSettings.tokens.length) described.push(`${serverSettings.tokens.length} token(s) from config server.tokens`);
        if (tokens.length === 0) {
          const generated = ensureServerToken(home);
          tokens.push({ principal: 'local', token: generated.token, tools: ['*'] });
          described.push(`the token in ${generated.file} (principal "local"${generated.created ? ', created now, mode 0600' : ''})`);
        }
        if (serverSettings.issuer) described.push(`JWTs from ${serverSettings.issuer} (audience ${serverSettings.audience ?? DEFAULT_AUDIENCE})`);
        auth = { tokens, issuer: serverSettings.issuer, audience: serverSettings.audience };
      }

      const file = dbFile(ctx, values.db, home);
      const logger = createFileLogger({ home, file: 'server.log', sync: false, level: logLevel, name: 'server' });
      const db = openTaskDb(file, storeFileOptions(file, home, logger.logger));
      invalidateOnChange(db, { home, log: logger.logger });
      let server;
      try {
        server = await startHttpServer({ host, port, db, log: logger.logger, auth, rateLimitPerMinute, allowRemote: values['allow-remote'] });
      } catch (err) {
        db.close();
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UserError(`Port ${port} on ${host} is already in use: choose another with --port`);
        throw err;
      }
      say(`taskhooks task server: ${server.url} (health: ${server.url.replace(/\/mcp$/, '/health')})`);
      say(`Tasks: ${file}`);
      if (noAuth) say(paint(out, 'yellow', `Auth: OFF (--no-auth) — anyone who can reach ${host}:${server.port} can read and change tasks`));
      else say(`Auth: Bearer token required; accepted: ${described.join('; ')}`);
      if (remote) say(paint(out, 'yellow', `Remote: ${host} is reachable from the network and this server speaks plain HTTP: tokens cross it in clear (--allow-remote)`));
      say(`Rate limit: ${rateLimitPerMinute} tool calls/min per principal. Logs: ${logger.file}. Ctrl-C stops.`);

      const signal = await waitForSignal();
      logger.logger.info({ signal }, 'task server stopping');
      await server.close();
      db.close();
      logger.flush();
      return 0;
    },
  },
  {
    name: 'mcp',
    summary: "Serve the task store over stdio (for a project's .mcp.json)",
    usage: MCP_USAGE,
    async run(ctx) {
      const { values } = parseFlags(ctx.args, { db: { type: 'string' } }, MCP_USAGE);
      const { home, logLevel } = ctx.settings;
      const { openTaskDb, serveStdio, storeFileOptions } = await import('../../server/index.js');
      // stdout is the MCP stream: diagnostics go to server.log only.
      const logger = createFileLogger({ home, file: 'server.log', sync: false, level: logLevel, name: 'server-stdio' });
      const file = dbFile(ctx, values.db, home);
      const db = openTaskDb(file, storeFileOptions(file, home, logger.logger));
      invalidateOnChange(db, { home, log: logger.logger });
      try {
        await serveStdio({ db, log: logger.logger });
      } finally {
        db.close();
        logger.flush();
      }
      return 0;
    },
  },
];
