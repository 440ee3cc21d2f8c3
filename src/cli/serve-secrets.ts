// Where `serve` takes its secrets from. A command line is visible to every user of the machine (`ps`, /proc), so a
// token or a database password given there still works but is warned about; a file, the environment or the config
// keeps them out of it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors/user.js';
import { registerSecret } from '../log/redact.js';
import type { HttpAuthOptions, ServerToken } from '../server/auth.js';
import type { CliContext } from './command.js';
import { tokenScope } from '../config/display.js';
import { ensureServerToken } from '../home/secrets.js';

/** The environment variable `serve` takes a bearer token from. */
export const SERVER_TOKEN_ENV = 'TASKHOOKS_SERVER_TOKEN';

/** The first line of `file` (resolved from the working directory), a secret; a problem is one line naming the flag. */
function readSecretFile(ctx: CliContext, file: string, flag: string): string {
  const where = path.resolve(ctx.cwd, file);
  let text: string;
  try {
    text = readFileSync(where, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new UserError(
      `${flag} ${where} cannot be read (${why}): give a file that holds the secret on its first line`,
      2,
    );
  }
  const secret = text.split(/\r?\n/, 1)[0]?.trim() ?? '';
  if (!secret) throw new UserError(`${flag} ${where} is empty: put the secret on its first line`, 2);
  registerSecret(secret);
  return secret;
}

function warnArgv(ctx: CliContext, what: string, instead: string): void {
  ctx.out.stderr.write(
    `warning: ${what} on the command line is visible to every user of this machine (ps); ${instead}\n`,
  );
}

/**
 * The tokens `serve` accepts from its command line and environment, first: `--token-file`, TASKHOOKS_SERVER_TOKEN and
 * `--token` (warned about), each at least `minLength` long. `described` says where each came from.
 */
export function flagTokens(
  ctx: CliContext,
  values: { token?: string | undefined; 'token-file'?: string | undefined; 'token-projects'?: string | undefined },
  minLength: number,
): { tokens: ServerToken[]; described: string[] } {
  const given: Array<[from: string, token: string, principal: string]> = [];
  if (values['token-file'])
    given.push(['--token-file', readSecretFile(ctx, values['token-file'], '--token-file'), 'cli']);
  const fromEnv = ctx.env[SERVER_TOKEN_ENV]?.trim();
  if (fromEnv) given.push([SERVER_TOKEN_ENV, fromEnv, 'env']);
  if (values.token) {
    warnArgv(ctx, '--token', `use --token-file FILE or ${SERVER_TOKEN_ENV} instead`);
    given.push(['--token', values.token, 'cli']);
  }
  for (const [from, token] of given) {
    registerSecret(token);
    if (token.length < minLength)
      throw new UserError(
        `the token from ${from} must be at least ${minLength} characters long (\`openssl rand -base64 32\` makes one)`,
        2,
      );
  }
  const projects = scopeFlag(values['token-projects'], given.length);
  return {
    tokens: given.map(([, token, principal]) => ({
      principal,
      token,
      tools: ['*'],
      ...(projects ? { projects } : {}),
    })),
    described: given.map(([from, , principal]) => `the ${from} token (${tokenScope({ principal, projects })})`),
  };
}

/**
 * Every token `serve` accepts and where each came from: flagTokens' first, then the config's; a generated one in the
 * home when there is none. JWTs too where server.issuer is set (`defaultAudience` unless server.audience says).
 */
export function serveAuth(
  ctx: CliContext,
  values: { token?: string | undefined; 'token-file'?: string | undefined; 'token-projects'?: string | undefined },
  limits: { minTokenLength: number; defaultAudience: string },
): { auth: HttpAuthOptions; described: string[] } {
  const { home, server: settings } = ctx.settings;
  const given = flagTokens(ctx, values, limits.minTokenLength);
  const tokens: ServerToken[] = [...given.tokens, ...settings.tokens];
  const described = [...given.described];
  for (const t of settings.tokens) described.push(`a token from config server.tokens (${tokenScope(t)})`);
  if (tokens.length === 0) {
    const generated = ensureServerToken(home);
    tokens.push({ principal: 'local', token: generated.token, tools: ['*'] });
    described.push(
      `the token in ${generated.file} (principal "local"${generated.created ? ', created now, mode 0600' : ''})`,
    );
  }
  if (settings.issuer)
    described.push(`JWTs from ${settings.issuer} (audience ${settings.audience ?? limits.defaultAudience})`);
  return { auth: { tokens, issuer: settings.issuer, audience: settings.audience }, described };
}

/** The projects `--token-projects` names (comma-separated), refused in one line when no token is given to scope. */
function scopeFlag(list: string | undefined, tokens: number): string[] | undefined {
  if (list === undefined) return undefined;
  const projects = [...new Set(list.split(',').map((p) => p.trim()))].filter(Boolean);
  if (projects.length === 0)
    throw new UserError('--token-projects names no project: give one or more names, comma-separated', 2);
  if (tokens === 0)
    throw new UserError(
      `--token-projects scopes the token of --token-file, $${SERVER_TOKEN_ENV} or --token: give one of them`,
      2,
    );
  return projects;
}

/** Where `serve` takes the change feed's own URL from, beside `DATABASE_URL` for everything else. */
export const LISTEN_DATABASE_ENV = 'TASKHOOKS_LISTEN_DATABASE_URL';

/** A PostgreSQL URL `serve` opens, and where it came from (for messages). */
export interface GivenDatabase {
  raw: string;
  from: string;
}

const isPostgres = (raw: string | undefined): raw is string => raw !== undefined && /^postgres(ql)?:\/\//.test(raw);

/** One URL: the flag, else the config, else the environment (a postgres:// one); the password file's password in it. */
function givenUrl(
  ctx: CliContext,
  flag: { name: string; value: string | undefined },
  config: { name: string; value: string | undefined },
  env: string,
  passwordFile: string | undefined,
): GivenDatabase | undefined {
  const fromEnv = ctx.env[env];
  const [raw, from] =
    flag.value !== undefined
      ? [flag.value, flag.name]
      : config.value !== undefined
        ? [config.value, config.name]
        : isPostgres(fromEnv)
          ? [fromEnv, env]
          : [undefined, ''];
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // openTeamStore names what is wrong with it
  }
  if (flag.value !== undefined && url?.password && /^postgres(ql)?:$/.test(url.protocol))
    warnArgv(ctx, `the password in ${flag.name}`, `use PGPASSWORD, ${env} or --database-password-file FILE instead`);
  if (!passwordFile || !url) return { raw, from };
  url.password = encodeURIComponent(readSecretFile(ctx, passwordFile, '--database-password-file'));
  return { raw: url.href, from };
}

/**
 * The PostgreSQL URLs `serve` opens, if any: `--database`, else the config's server.database, else DATABASE_URL when
 * it is a postgres:// URL; and for the change feed's LISTEN alone, `--listen-database`, server.listenDatabase or
 * TASKHOOKS_LISTEN_DATABASE_URL. The password from `--database-password-file`, when given, goes into both. A password
 * written in a flag is warned about.
 */
export function databaseUrls(
  ctx: CliContext,
  values: {
    database?: string | undefined;
    'listen-database'?: string | undefined;
    'database-password-file'?: string | undefined;
  },
  configured: { database?: string | undefined; listenDatabase?: string | undefined },
): { database?: GivenDatabase | undefined; listen?: GivenDatabase | undefined } {
  const passwordFile = values['database-password-file'];
  return {
    database: givenUrl(
      ctx,
      { name: '--database', value: values.database },
      { name: 'server.database', value: configured.database },
      'DATABASE_URL',
      passwordFile,
    ),
    listen: givenUrl(
      ctx,
      { name: '--listen-database', value: values['listen-database'] },
      { name: 'server.listenDatabase', value: configured.listenDatabase },
      LISTEN_DATABASE_ENV,
      passwordFile,
    ),
  };
}
