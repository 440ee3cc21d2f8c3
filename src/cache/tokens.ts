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

export function readToken(store: Cache, issuer: string, clientId: string): CachedToken | undefined {
  const row = store.db
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

export function writeToken(store: Cache, token: CachedToken): void {
  store.write(() =>
    store.db
      .prepare(
        `INSERT INTO oauth_tokens (issuer, client_id, access_token, token_type, expires_at, scope) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(issuer, client_id) DO UPDATE SET access_token = excluded.access_token, token_type = excluded.token_type,
           expires_at = excluded.expires_at, scope = excluded.scope`,
      )
      .run(token.issuer, token.clientId, token.accessToken, token.tokenType, token.expiresAt, token.scope ?? null),
  );
}

export function deleteToken(store: Cache, issuer: string, clientId: string): void {
  store.write(() =>
    store.db.prepare('DELETE FROM oauth_tokens WHERE issuer = ? AND client_id = ?').run(issuer, clientId),
  );
}
