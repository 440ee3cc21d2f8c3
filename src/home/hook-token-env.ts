// Where a Claude Code session finds the hook token: its project's http hooks name a variable in their header (listed
// in `allowedEnvVars`), and the value lives in the `env` of the person's own ~/.claude/settings.json. Claude Code
// 2.1.330 expands a header from that file's env (~/.claude/settings.local.json is not read), so no project file holds
// the token. The name carries the state directory's hash: two homes of one person each keep their own token.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { isJsonObject } from '../util/object.js';

export const HOOK_TOKEN_HEADER = 'X-Taskhooks-Token';
const VAR_PREFIX = 'TASKHOOKS_HOOK_TOKEN_';
/** A header value naming a hook token variable, as install writes it. */
const REFERENCE = /^\$(TASKHOOKS_HOOK_TOKEN_[0-9A-F]{8})$/;

/** The variable the hooks installed for `home` name, the same for every path that leads to that directory. */
export function hookTokenVar(home: string): string {
  let real = home;
  try {
    real = realpathSync(home);
  } catch {
    // not made yet: its first monitor makes it at this very path
  }
  return `${VAR_PREFIX}${createHash('sha256').update(real).digest('hex').slice(0, 8).toUpperCase()}`;
}

/** The header value that makes Claude Code send that variable's value. */
export const tokenReference = (name: string): string => `$${name}`;

/** The variable a header value names, when it is install's reference. */
export function referencedVar(value: unknown): string | undefined {
  return typeof value === 'string' ? REFERENCE.exec(value)?.[1] : undefined;
}

/** The value a settings file's `env` gives `name`, when it gives a string. */
export function envValue(settings: unknown, name: string): string | undefined {
  if (!isJsonObject(settings) || !isJsonObject(settings.env)) return undefined;
  const v = settings.env[name];
  return typeof v === 'string' ? v : undefined;
}
