import type { Cache } from './cache.js';

/** An OAuth access token shared by every process until shortly before it expires. */
export interface CachedToken {
  issuer: string;
  clientId: string;
  accessToken: string;
  tokenType: string;
  expiresAt: number;
  scope?: string;
}

export function readToken(cache: Cache, issuer: string, clientId: string): CachedToken | undefined {
  const row = cache.db
    .prepare('SELECT access_token, token_type, expires_at, scope FROM oauth_tokens WHERE issuer = ? AND client_id = ?')
    .get(issuer, clientId) as
    | { access_token: string; token_type: string; expires_at: number; scope: string | null }
    | undefined;
  if (!row) return undefined;
  const token: CachedToken = {
    issuer,
    clientId,
    accessToken: row.access_token,
    tokenType: row.token_type,
    expiresAt: row.expires_at,
  };
  if (row.scope) token.scope = row.scope;
  return token;
}

export function writeToken(cache: Cache, token: CachedToken): void {
  cache.write(() =>
    cache.db
      .prepare(
        `INSERT INTO oauth_tokens (issuer, client_id, access_token, token_type, expires_at, scope) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(issuer, client_id) DO UPDATE SET access_token = excluded.access_token, token_type = excluded.token_type,
           expires_at = excluded.expires_at, scope = excluded.scope`,
      )
      .run(token.issuer, token.clientId, token.accessToken, token.tokenType, token.expiresAt, token.scope ?? null),
  );
}

export function deleteToken(cache: Cache, issuer: string, clientId: string): void {
  cache.write(() =>
    cache.db.prepare('DELETE FROM oauth_tokens WHERE issuer = ? AND client_id = ?').run(issuer, clientId),
  );
}
