// Config values as they may be shown: secrets masked however deep they sit.
import { namedLikeSecret } from '../log/redact.js';
import { isSecretKey, looksSecret } from './env.js';

/** Masks a secret as `****` plus at most its last 2 characters (none when it is short). */
function maskSecret(value: string): string {
  return value.length >= 12 ? `****${value.slice(-2)}` : '****';
}

/** A copy safe to show: values under secret keys (however deep, e.g. server.tokens.0.token) are masked. */
function masked(key: string, value: unknown, secret: (key: string) => boolean): unknown {
  if (value === undefined || value === null) return value;
  if (secret(key)) return maskSecret(typeof value === 'string' ? value : JSON.stringify(value));
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => masked(`${key}.${i}`, v, secret));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(`${key}.${k}`, v, secret)]));
}

// One line of a config file's text: a JSON `"key": "value"` pair, or a TOML `key = "value"` one (bare or quoted key).
const JSON_PAIR = /"((?:[^"\\]|\\.)*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const TOML_PAIR = /(^|[\s{,])([A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*")(\s*=\s*)(?:"((?:[^"\\]|\\.)*)"|'([^'\n]*)')/g;

/**
 * A line of a config file's text as it may be shown (install's and uninstall's diffs): each value under a key named
 * like a secret (a header's token, an Authorization, a server's API key) masked as `config` masks it.
 */
export function displayConfigLine(line: string): string {
  const json = line.replace(JSON_PAIR, (all, key: string, sep: string, value: string) =>
    looksSecret(key) ? `"${key}"${sep}"${maskSecret(value)}"` : all,
  );
  return json.replace(
    TOML_PAIR,
    (all, lead: string, key: string, sep: string, basic: string | undefined, literal: string | undefined) =>
      looksSecret(key.replace(/^"|"$/g, '')) ? `${lead}${key}${sep}"${maskSecret(basic ?? literal ?? '')}"` : all,
  );
}

export function displayValue(key: string, value: unknown): string {
  if (isSecretKey(key) && typeof value === 'string') return maskSecret(value);
  // Nested values are checked by name too: source.env may hold API keys for a stdio server.
  return (
    JSON.stringify(
      masked(key, value, (k) => isSecretKey(k) || (k !== key && namedLikeSecret(k.slice(k.lastIndexOf('.') + 1)))),
    ) ?? 'undefined'
  );
}

/** Like displayValue, for a key that is not ours (a misspelling): anything named like a secret is masked. */
export function displayUnknown(key: string, value: unknown): string {
  return JSON.stringify(masked(key, value, looksSecret)) ?? 'undefined';
}

/** Who a token stands for and what it may reach, never the token itself: for `serve`'s banner and `doctor`. */
export function tokenScope(t: { principal: string; projects?: string[] | undefined; tools?: string[] }): string {
  const tools = t.tools && !(t.tools.length === 1 && t.tools[0] === '*') ? `, tools ${t.tools.join(', ')}` : '';
  const projects = t.projects ? `projects ${t.projects.join(', ')}` : 'every project';
  return `principal "${t.principal}"${tools}, ${projects}`;
}
