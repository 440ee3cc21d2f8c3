// A real oidc-provider on 127.0.0.1 (random port) issuing client-credentials RS256 JWT access tokens,
// so auth is tested against the same discovery, JWKS and token endpoint a real issuer has.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

export interface OidcClient {
  client_id: string;
  client_secret: string;
  /** Space-separated scopes this client may ask for (and gets by default). */
  scope?: string;
  /** Access token lifetime in seconds for this client (default: the provider's ttl). */
  ttl?: number;
}

export interface OidcProviderOptions {
  clients: OidcClient[];
  /** The default resource indicator, which becomes the tokens' `aud` (`resource` is the same thing by its RFC 8707 name). */
  audience?: string;
  resource?: string;
  /** Access token lifetime in seconds; default 300. */
  ttl?: number;
}

export interface RunningOidcProvider {
  issuer: string;
  tokenEndpoint: string;
  /** Client credentials grant by plain HTTP, as any client would do it; `resource` overrides the audience. */
  token(clientId: string, opts?: { resource?: string; scope?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startOidcProvider(opts: OidcProviderOptions): Promise<RunningOidcProvider> {
  const audience = opts.audience ?? opts.resource;
  if (!audience) throw new Error('startOidcProvider needs an audience (or resource)');
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const http = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const scopes = [...new Set(opts.clients.flatMap((c) => (c.scope ?? '').split(' ').filter(Boolean)))];
  const ttlOf = (clientId: string | undefined): number =>
    opts.clients.find((c) => c.client_id === clientId)?.ttl ?? opts.ttl ?? 300;

  const provider = new Provider(issuer, {
    clients: opts.clients.map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
      ...(c.scope ? { scope: c.scope } : {}),
    })),
    jwks: { keys: [jwk] },
    scopes,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator, client) => ({
          scope: scopes.join(' '),
          audience: resourceIndicator,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ttlOf(client.clientId),
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  // oidc-provider logs each server_error through its own event; keep test output quiet.
  provider.on('server_error', () => undefined);
  handler = provider.callback();
  const tokenEndpoint = `${issuer}/token`;

  return {
    issuer,
    tokenEndpoint,
    token: async (clientId, o = {}) => {
      const client = opts.clients.find((c) => c.client_id === clientId);
      if (!client) throw new Error(`unknown test client ${clientId}`);
      const body = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: client.client_secret,
      });
      const scope = o.scope ?? client.scope;
      if (scope) body.set('scope', scope);
      if (o.resource) body.set('resource', o.resource);
      const res = await fetch(tokenEndpoint, { method: 'POST', body });
      const json = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!res.ok || !json.access_token)
        throw new Error(`token request failed: ${res.status} ${json.error ?? ''} ${json.error_description ?? ''}`);
      return json.access_token;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
