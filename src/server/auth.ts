// HTTP authentication: static bearer tokens (each with a principal and its tools) and OIDC JWT access tokens
// verified against the issuer's JWKS (found by discovery): signature, issuer, audience, expiry.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { Logger } from '../log/logger.js';
import { READ_GRANT, type Principal } from './principal.js';
import { AGENTHUB_TOOLS, TRACKER_TOOLS } from './tools/tool-families.js';

/** A static bearer token the server accepts, the principal it stands for, the tools it may call ('*': all), its projects. */
export interface ServerToken {
  principal: string;
  token: string;
  tools: string[];
  /** The projects (by name) it may read and write; every project when absent. */
  projects?: string[] | undefined;
}

export interface HttpAuthOptions {
  tokens: ServerToken[];
  /** OIDC issuer whose JWT access tokens are accepted. */
  issuer?: string;
  /** Required `aud` of those tokens; defaults to "taskhooks". */
  audience?: string;
  /** The time a token's expiry is checked against; the system clock when absent (a test moves it past the expiry). */
  now?: () => Date;
}

export type AuthOutcome =
  | { ok: true; principal: Principal }
  /** `error` is the RFC 6750 code: absent when no credentials were sent at all. */
  | { ok: false; error?: 'invalid_token' | 'invalid_request'; description: string };

const ALL_TOOLS: readonly string[] = [...AGENTHUB_TOOLS, ...TRACKER_TOOLS];
/** Scopes or roles granting every tool; any other scope or role that names a tool grants that tool. */
const GRANT_ALL = new Set(['*', 'tasks:all', 'taskhooks:admin', 'taskhooks-admin']);
/** Scopes or roles granting every read and no write. */
const GRANT_READ = new Set([READ_GRANT, 'tasks:read', 'taskhooks:read', 'taskhooks-read']);
export const DEFAULT_AUDIENCE = 'taskhooks';
/** Shorter static tokens can be guessed; the server's own are 43 characters of randomness. */
export const MIN_TOKEN_LENGTH = 32;
/** Signatures by the issuer's public key only: never 'none', never a shared-secret HMAC anyone holding the JWKS could forge. */
const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
const looksLikeJwt = (s: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(s);

/** Scopes (`scope` / `scp`) and roles (`roles`, Keycloak's `realm_access.roles`) of an access token. */
function grantsOf(claims: JWTPayload): string[] {
  const out: string[] = [];
  if (typeof claims.scope === 'string') out.push(...claims.scope.split(' '));
  for (const key of ['scp', 'roles'] as const) {
    const v = claims[key];
    if (Array.isArray(v)) out.push(...v.filter((x): x is string => typeof x === 'string'));
  }
  const realm = (claims.realm_access as { roles?: unknown } | undefined)?.roles;
  if (Array.isArray(realm)) out.push(...realm.filter((x): x is string => typeof x === 'string'));
  return out.filter(Boolean);
}

function toolsForGrants(grants: string[]): string[] {
  if (grants.some((g) => GRANT_ALL.has(g))) return ['*'];
  const tools = ALL_TOOLS.filter((t) => grants.includes(t));
  return grants.some((g) => GRANT_READ.has(g)) ? [READ_GRANT, ...tools] : tools;
}

type Jose = typeof import('jose');
type KeySet = ReturnType<Jose['createRemoteJWKSet']>;

/** jose, loaded at the first JWT: a server that takes static tokens only (the monitor's store server) never holds it. */
const loadJose = (): Promise<Jose> => import('jose');

function describeJwtError(joseErrors: Jose['errors'], err: unknown, audience: string): string {
  if (err instanceof joseErrors.JWTExpired) return 'token expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return `token audience is not ${audience}`;
    if (err.claim === 'iss') return 'token issuer is not the configured issuer';
    if (err.claim === 'exp' && err.reason === 'missing')
      return 'token has no expiry (exp): a token that never expires is refused';
    return `token claim ${err.claim} is invalid`;
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey)
    return 'token signature is not valid for the issuer';
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return 'token is not signed with an asymmetric algorithm (RS*, PS*, ES*, EdDSA)';
  if (err instanceof joseErrors.JOSEError) return `token rejected (${err.code})`;
  return 'token could not be verified';
}

/** The issuer's signing keys, found through its OpenID discovery document. */
async function discoverKeys(issuer: string): Promise<KeySet> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`OIDC discovery failed: HTTP ${res.status} at ${url}`);
  const meta = (await res.json()) as { jwks_uri?: unknown };
  if (typeof meta.jwks_uri !== 'string') throw new Error(`OIDC discovery at ${url} has no jwks_uri`);
  return (await loadJose()).createRemoteJWKSet(new URL(meta.jwks_uri));
}

export function createAuthenticator(
  opts: HttpAuthOptions,
  log: Logger,
): (authorization: string | undefined) => Promise<AuthOutcome> {
  const short = opts.tokens.find((t) => t.token.length < MIN_TOKEN_LENGTH);
  if (short)
    throw new Error(
      `The token of principal "${short.principal}" has ${short.token.length} characters: at least ${MIN_TOKEN_LENGTH} are needed (\`openssl rand -base64 32\` makes one)`,
    );
  const statics = opts.tokens.map((t) => ({
    hash: digest(t.token),
    principal: {
      name: t.principal,
      tools: t.tools,
      via: 'static',
      ...(t.projects ? { projects: t.projects } : {}),
    } as Principal,
  }));
  const audience = opts.audience ?? DEFAULT_AUDIENCE;
  let jwks: Promise<KeySet> | undefined;

  const verifyJwt = async (token: string, issuer: string): Promise<AuthOutcome> => {
    let keys: KeySet;
    try {
      jwks ??= discoverKeys(issuer);
      keys = await jwks;
    } catch (err) {
      jwks = undefined; // retry discovery on the next request instead of failing forever
      log.error({ err, issuer }, 'cannot reach the OIDC issuer to verify a token');
      return { ok: false, error: 'invalid_token', description: 'token issuer unreachable' };
    }
    const jose = await loadJose();
    try {
      const { payload } = await jose.jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: JWT_ALGORITHMS,
        requiredClaims: ['exp'],
        ...(opts.now ? { currentDate: opts.now() } : {}),
      });
      const name =
        [payload.client_id, payload.azp, payload.sub].find((v): v is string => typeof v === 'string') ?? 'jwt';
      return { ok: true, principal: { name, tools: toolsForGrants(grantsOf(payload)), via: 'jwt' } };
    } catch (err) {
      return { ok: false, error: 'invalid_token', description: describeJwtError(jose.errors, err, audience) };
    }
  };

  return async (authorization) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!authorization) return { ok: false, description: 'missing bearer token' };
    if (!m?.[1]) return { ok: false, error: 'invalid_request', description: 'Authorization must be "Bearer <token>"' };
    const token = m[1];
    const hash = digest(token);
    const match = statics.find((s) => timingSafeEqual(s.hash, hash));
    if (match) return { ok: true, principal: match.principal };
    if (opts.issuer && looksLikeJwt(token)) return verifyJwt(token, opts.issuer);
    return { ok: false, error: 'invalid_token', description: 'unknown token' };
  };
}

/** The RFC 6750 challenge for a 401. */
export function bearerChallenge(outcome: Extract<AuthOutcome, { ok: false }>): string {
  const parts = ['realm="taskhooks"'];
  if (outcome.error)
    parts.push(`error="${outcome.error}"`, `error_description="${outcome.description.replace(/"/g, "'")}"`);
  return `Bearer ${parts.join(', ')}`;
}
