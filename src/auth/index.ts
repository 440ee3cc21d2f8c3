// Picks the credential for a task server from config: OIDC client credentials, a static bearer token
// (MCP_API_TOKEN or the project's .mcp.json), an API key header for the tracker, or nothing.
import type { Config } from '../config/schema.js';
import type { Store } from '../cache/store.js';
import type { Logger } from '../log/logger.js';
import { registerSecret } from '../log/redact.js';
import { TaskSourceError } from '../errors/task-source.js';
import { readMcpJsonAuth } from './mcp-json.js';
import { oidcAuth } from './oidc.js';
import { NO_AUTH, staticHeaders, type AuthProvider } from './provider.js';

export type { AuthProvider } from './provider.js';
export { NO_AUTH } from './provider.js';

export interface AuthContext {
  config: Config;
  store: Store;
  log: Logger;
  /** Where `.mcp.json` is looked for. */
  projectRoot?: string | undefined;
  /** The server URL being reached: matches a `.mcp.json` entry when none is named. */
  url: string;
  adapter: 'agenthub' | 'tracker' | 'taskmaster';
  env?: NodeJS.ProcessEnv;
}

/** The OIDC issuer URL from config: auth.issuer, else KEYCLOAK_URL/realms/KEYCLOAK_REALM. */
function oidcIssuer(config: Config): string | undefined {
  const a = config.auth;
  if (a.issuer) return a.issuer.replace(/\/+$/, '');
  if (a.keycloakUrl && a.realm) return `${a.keycloakUrl.replace(/\/+$/, '')}/realms/${a.realm}`;
  return undefined;
}

export function resolveAuth(ctx: AuthContext): AuthProvider {
  const a = ctx.config.auth;
  if (ctx.adapter === 'tracker' && a.apiKey) {
    registerSecret(a.apiKey);
    const header = a.apiKeyHeader;
    // The tracking service takes its key as a bearer token when the header is Authorization.
    const value = header.toLowerCase() === 'authorization' ? `Bearer ${a.apiKey}` : a.apiKey;
    return staticHeaders(`the API key from TASK_TRACKING_API_KEY (header ${header})`, { [header]: value });
  }
  const issuer = oidcIssuer(ctx.config);
  if (issuer && a.clientId) {
    if (!a.clientSecret) {
      throw new TaskSourceError('config', `Authentication not configured: ${issuer} needs a client secret (set KEYCLOAK_CLIENT_SECRET or auth.clientSecret)`, {
        short: 'client secret missing',
        place: issuer,
      });
    }
    return oidcAuth({ issuer, clientId: a.clientId, clientSecret: a.clientSecret, method: a.tokenAuthMethod, scope: a.scope }, ctx.store, ctx.log);
  }
  if (a.token) {
    registerSecret(a.token);
    return staticHeaders('the token from MCP_API_TOKEN (auth.token)', { Authorization: `Bearer ${a.token}` });
  }
  if (ctx.projectRoot) {
    const found = readMcpJsonAuth(ctx.projectRoot, { serverName: a.mcpJsonServer, url: ctx.url, env: ctx.env });
    if (found) {
      registerSecret(found.authorization);
      registerSecret(found.authorization.replace(/^Bearer\s+/i, ''));
      return staticHeaders(`the Authorization header of "${found.server}" in ${found.file}`, { Authorization: found.authorization });
    }
  }
  if (ctx.adapter === 'tracker') {
    // The task-tracking service rejects every anonymous call: say so at once rather than after a round trip.
    throw new TaskSourceError('config', `Authentication not configured for ${ctx.url}: set TASK_TRACKING_API_KEY (auth.apiKey)`, {
      short: 'API key not set',
      place: ctx.url,
    });
  }
  return NO_AUTH;
}
