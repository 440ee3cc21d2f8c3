import { namedLikeSecret } from '../log/redact.js';
import { envBindingsOf, secretKeysOf } from '../sources/contract.js';
import { SOURCES } from '../sources/registry.js';

// Environment variables users of the original Python hooks already have set, mapped onto config keys.
export interface EnvBinding {
  name: string;
  key: string;
  kind: 'string' | 'int' | 'mcpUrlList' | 'mcpUrl';
}

export const ENV_BINDINGS: readonly EnvBinding[] = [
  { name: 'MCP_SERVER_URL', key: 'source.servers', kind: 'mcpUrlList' },
  { name: 'TASK_TRACKING_URL', key: 'source.trackingUrl', kind: 'mcpUrl' },
  { name: 'TASKHOOKS_ADAPTER', key: 'source.adapter', kind: 'string' },
  { name: 'TASKHOOKS_PROJECT', key: 'source.project', kind: 'string' },
  { name: 'KEYCLOAK_URL', key: 'auth.keycloakUrl', kind: 'string' },
  { name: 'KEYCLOAK_REALM', key: 'auth.realm', kind: 'string' },
  { name: 'KEYCLOAK_CLIENT_ID', key: 'auth.clientId', kind: 'string' },
  { name: 'KEYCLOAK_CLIENT_SECRET', key: 'auth.clientSecret', kind: 'string' },
  { name: 'OIDC_ISSUER', key: 'auth.issuer', kind: 'string' },
  { name: 'MCP_API_TOKEN', key: 'auth.token', kind: 'string' },
  { name: 'TASK_TRACKING_API_KEY', key: 'auth.apiKey', kind: 'string' },
  { name: 'TASK_CACHE_TTL', key: 'cache.taskTtlSeconds', kind: 'int' },
  { name: 'GIT_CACHE_TTL', key: 'cache.gitTtlSeconds', kind: 'int' },
  { name: 'TASKHOOKS_LOG_LEVEL', key: 'log.level', kind: 'string' },
  // Each source's own variables (GITHUB_TOKEN, …) set its own entries, `source.<name>.<key>`.
  ...envBindingsOf(SOURCES),
];

/** Config keys whose values are secrets: masked in every output and never logged. */
const SECRET_KEYS: readonly RegExp[] = [
  /^auth\.clientSecret$/,
  /^auth\.token$/,
  /^auth\.apiKey$/,
  /^server\.tokens\.\d+\.token$/,
  /^server\.database$/,
  /^server\.listenDatabase$/,
  ...secretKeysOf(SOURCES),
];

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.some((re) => re.test(key));
}

/** True for a known secret key, or for any dotted key one of whose parts is named like a secret. */
export function looksSecret(key: string): boolean {
  return isSecretKey(key) || key.split('.').some(namedLikeSecret);
}

/**
 * The secret values a config holds — its secret keys, and `source.env` entries named like secrets — for the log
 * scrubber (registerSecret). Derived from the same key rules that mask them in output, so the two never disagree.
 */
export function configSecrets(config: object): string[] {
  const found: string[] = [];
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      const last = key.slice(key.lastIndexOf('.') + 1);
      if (
        isSecretKey(key) ||
        ((key.startsWith('source.env.') || key.startsWith('source.tool.args.')) && namedLikeSecret(last))
      )
        found.push(value);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, key ? `${key}.${k}` : k);
    }
  };
  walk(config, '');
  return found;
}

/**
 * Whether a config file's parsed content holds a secret: a value under a key named like one (auth.token,
 * server.tokens, a header, a stdio server's API key), unless it only names an environment variable (`${TOKEN}`).
 */
export function holdsSecret(value: unknown, key = ''): boolean {
  if (typeof value === 'string') return looksSecret(key) && value.replace(/(Bearer\s+)?\$\{[^}]*\}/g, '').trim() !== '';
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => holdsSecret(v, key ? `${key}.${k}` : k));
}

/** `http://host:8000` and `http://host:8000/mcp` both mean the MCP endpoint `http://host:8000/mcp`. */
export function normalizeMcpUrl(raw: string): string {
  const trimmed = raw.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return trimmed; // left for the schema to reject with the variable's name attached
  }
  const pathname = url.pathname.replace(/\/+$/, '');
  url.pathname = pathname.endsWith('/mcp') ? pathname : `${pathname}/mcp`;
  return url.toString();
}

export function parseEnvValue(binding: EnvBinding, raw: string): unknown {
  switch (binding.kind) {
    case 'int':
      // Any number goes through, so the schema can say what is wrong with it ("-5" is too small, "1.5" not whole).
      return /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
    case 'mcpUrl':
      return normalizeMcpUrl(raw);
    case 'mcpUrlList':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(normalizeMcpUrl);
    case 'string':
      return raw;
  }
}
