// OIDC client credentials (Keycloak or any issuer). The token lives in the shared cache so every process
// (hooks, CLI, monitor) reuses one until 60 s before it expires.
import * as oidc from 'openid-client';
import { deleteToken, readToken, writeToken } from '../cache/tokens.js';
import type { Cache } from '../cache/cache.js';
import type { Logger } from '../log/logger.js';
import { registerSecret } from '../log/redact.js';
import { classifyError } from '../mcp/classify.js';
import { isTaskSourceError, TaskSourceError } from '../errors/task-source.js';
import { clientCredentials, type AuthProvider } from './provider.js';
import type { Deadline } from '../util/deadline.js';
import { isLoopbackHost } from '../util/local-request.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  method: 'client_secret_post' | 'client_secret_basic';
  scope?: string | undefined;
}

/** Refresh this long before expiry, as the original hooks did. */
const EXPIRY_MARGIN_MS = 60_000;

function authFailed(
  issuer: string,
  short: string,
  extra: { transient?: boolean; cause?: unknown } = {},
): TaskSourceError {
  return new TaskSourceError('auth', `Authentication failed at ${issuer}: ${short}`, {
    short,
    place: issuer,
    ...extra,
  });
}

function describeOidcError(issuer: string, err: unknown): TaskSourceError {
  if (err instanceof oidc.ResponseBodyError) {
    return authFailed(issuer, err.error_description ? `${err.error} (${err.error_description})` : err.error, {
      cause: err,
    });
  }
  if (isTaskSourceError(err)) return err;
  const net = classifyError(err, issuer);
  if (net.kind === 'unavailable' || net.kind === 'timeout')
    return authFailed(issuer, net.short, { transient: true, cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return authFailed(issuer, message.slice(0, 160), { cause: err });
}

function withSignal(signal: AbortSignal): oidc.CustomFetch {
  return (url, options) =>
    fetch(url, {
      ...options,
      signal: options.signal ? AbortSignal.any([options.signal, signal]) : signal,
    } as RequestInit);
}

/** Asks the issuer for a new token (discovery + client_credentials grant) within the deadline. */
async function requestToken(
  settings: OidcSettings,
  deadline: Deadline,
): Promise<{ accessToken: string; tokenType: string; expiresAt: number; scope?: string }> {
  const url = new URL(settings.issuer);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new TaskSourceError(
      'config',
      `Authentication failed at ${settings.issuer}: the issuer must use https (http is allowed on loopback only)`,
      {
        short: 'issuer must use https',
        place: settings.issuer,
      },
    );
  }
  const customFetch = withSignal(deadline.signal);
  const auth =
    settings.method === 'client_secret_basic'
      ? oidc.ClientSecretBasic(settings.clientSecret)
      : oidc.ClientSecretPost(settings.clientSecret);
  try {
    const config = await oidc.discovery(url, settings.clientId, undefined, auth, {
      [oidc.customFetch]: customFetch,
      ...(url.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
    const response = await oidc.clientCredentialsGrant(config, settings.scope ? { scope: settings.scope } : {});
    registerSecret(response.access_token);
    const expiresIn = response.expiresIn() ?? 300;
    const token = {
      accessToken: response.access_token,
      tokenType: response.token_type ?? 'bearer',
      expiresAt: Date.now() + expiresIn * 1000,
    };
    return response.scope ? { ...token, scope: response.scope } : token;
  } catch (err) {
    if (deadline.expired())
      throw authFailed(settings.issuer, `timed out after ${deadline.ms} ms`, { transient: true, cause: err });
    throw describeOidcError(settings.issuer, err);
  }
}

export function oidcAuth(settings: OidcSettings, cache: Cache, log: Logger): AuthProvider {
  registerSecret(settings.clientSecret);
  let current: string | undefined;
  const obtain = async (deadline: Deadline): Promise<void> => {
    const token = await requestToken(settings, deadline);
    writeToken(cache, { issuer: settings.issuer, clientId: settings.clientId, ...token });
    current = token.accessToken;
    log.info(
      { issuer: settings.issuer, clientId: settings.clientId, expiresAt: new Date(token.expiresAt).toISOString() },
      'obtained an access token',
    );
  };
  return {
    describe: clientCredentials(settings),
    async prepare(deadline) {
      const cached = readToken(cache, settings.issuer, settings.clientId);
      if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > Date.now()) {
        registerSecret(cached.accessToken);
        current = cached.accessToken;
        return;
      }
      await obtain(deadline);
    },
    headers: (): Record<string, string> => (current ? { Authorization: `Bearer ${current}` } : {}),
    async refresh(deadline) {
      deleteToken(cache, settings.issuer, settings.clientId);
      await obtain(deadline);
    },
  };
}
