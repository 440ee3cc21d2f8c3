// Picks the credential for a task server: OIDC client credentials, a static bearer token (MCP_API_TOKEN or the
// project's .mcp.json), an API key header, or nothing.
import type { Cache } from '../cache/cache.js';
import { TaskSourceError } from '../errors/task-source.js';
import type { Logger } from '../log/logger.js';
import { registerSecret } from '../log/redact.js';
import { readMcpJsonAuth } from './mcp-json.js';
import type { OidcSettings } from './oidc.js';
import { clientCredentials, NO_AUTH, staticHeaders, type AuthProvider } from './provider.js';

export type { AuthProvider } from './provider.js';
export { NO_AUTH } from './provider.js';

/** The credentials configured for a source, in the order they are tried. */
export interface AuthSettings {
  /** An API key and the header it travels in (the task-tracking service's credential). */
  apiKey?: { value: string; header: string } | undefined;
  /** OIDC client credentials; `clientSecret` missing is reported when the source is opened. */
  oidc?: (Omit<OidcSettings, 'clientSecret'> & { clientSecret?: string | undefined }) | undefined;
  /** A static bearer token (MCP_API_TOKEN). */
  token?: string | undefined;
  /**
   * A trusted `.mcp.json` whose Authorization header may be reused: the entry named `serverName`, by default the
   * entry whose url is the server's.
   */
  mcpJson?: { file: string; serverName?: string | undefined } | undefined;
  /** Set when the server refuses anonymous calls: what to set, said before a round trip is wasted. */
  requiredHint?: string | undefined;
}

export interface AuthContext {
  cache: Cache;
  log: Logger;
  /** The server URL being reached: matches a `.mcp.json` entry when none is named. */
  url: string;
  env?: NodeJS.ProcessEnv | undefined;
}

/**
 * OIDC client credentials with openid-client (and jose under it) loaded at the first request that needs a token: most
 * sources use a static token, and every live fetch from a hook pays for what the network stack loads.
 */
function deferredOidc(settings: OidcSettings, cache: Cache, log: Logger): AuthProvider {
  registerSecret(settings.clientSecret);
  let loaded: Promise<AuthProvider> | undefined;
  let provider: AuthProvider | undefined;
  const load = async (): Promise<AuthProvider> => {
    loaded ??= import('./oidc.js').then((m) => m.oidcAuth(settings, cache, log));
    provider = await loaded;
    return provider;
  };
  return {
    describe: clientCredentials(settings),
    prepare: async (deadline) => (await load()).prepare(deadline),
    headers: () => provider?.headers() ?? {},
    refresh: async (deadline) => (await load()).refresh?.(deadline),
  };
}

export function resolveAuth(settings: AuthSettings, ctx: AuthContext): AuthProvider {
  if (settings.apiKey) {
    const { value, header } = settings.apiKey;
    registerSecret(value);
    // The tracking service takes its key as a bearer token when the header is Authorization.
    const sent = header.toLowerCase() === 'authorization' ? `Bearer ${value}` : value;
    return staticHeaders(`the API key from TASK_TRACKING_API_KEY (header ${header})`, { [header]: sent });
  }
  if (settings.oidc) {
    const { clientSecret, ...oidc } = settings.oidc;
    if (!clientSecret) {
      throw new TaskSourceError(
        'config',
        `Authentication not configured: ${oidc.issuer} needs a client secret (set KEYCLOAK_CLIENT_SECRET or auth.clientSecret)`,
        {
          short: 'client secret missing',
          place: oidc.issuer,
          fix: 'set KEYCLOAK_CLIENT_SECRET (auth.clientSecret)',
        },
      );
    }
    return deferredOidc({ ...oidc, clientSecret }, ctx.cache, ctx.log);
  }
  if (settings.token) {
    registerSecret(settings.token);
    return staticHeaders('the token from MCP_API_TOKEN (auth.token)', { Authorization: `Bearer ${settings.token}` });
  }
  if (settings.mcpJson) {
    const found = readMcpJsonAuth(settings.mcpJson.file, {
      serverName: settings.mcpJson.serverName,
      url: ctx.url,
      env: ctx.env,
    });
    if (found) {
      registerSecret(found.authorization);
      registerSecret(found.authorization.replace(/^Bearer\s+/i, ''));
      return staticHeaders(`the Authorization header of "${found.server}" in ${found.file}`, {
        Authorization: found.authorization,
      });
    }
  }
  if (settings.requiredHint) {
    throw new TaskSourceError('config', `Authentication not configured for ${ctx.url}: ${settings.requiredHint}`, {
      short: 'credential not set',
      place: ctx.url,
      fix: settings.requiredHint,
    });
  }
  return NO_AUTH;
}
