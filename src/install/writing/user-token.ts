// The hook token in the `env` of the person's own ~/.claude/settings.json (src/home/hook-token-env.ts says why there):
// set by install and by a port move, taken out by the uninstall that leaves no project posting with it. That file
// holds a secret from then on: written 0600, and refused where git would commit it (a dotfiles repository).
import { realpathSync } from 'node:fs';
import { UserError } from '../../errors/user.js';
import { isJsonObject } from '../../util/object.js';
import { isGitIgnored, isGitTracked } from '../git/ignore-check.js';
import { formatJson, readJsonDoc, sameJson, type JsonObject } from '../../files/json-doc.js';
import { replannable, type FileChange } from '../../files/file-change.js';
import type { Plan } from '../planning/plan.js';

export { hookTokenVar } from '../../home/hook-token-env.js';

/** The settings with `env[name]` set to `token`, or taken out (with an `env` left empty). */
export function withHookToken(settings: JsonObject, name: string, token: string | undefined): JsonObject {
  if (settings.env !== undefined && !isJsonObject(settings.env))
    throw new UserError('its "env" is not an object; fix it by hand and run again — nothing was changed');
  const env: JsonObject = { ...(isJsonObject(settings.env) ? settings.env : {}) };
  if (token === undefined) delete env[name];
  else env[name] = token;
  const out: JsonObject = { ...settings, env };
  if (Object.keys(env).length === 0) delete out.env;
  return out;
}

/** The change that sets (or takes out) the token in the user's settings `file`; undefined when it holds that already. */
export function hookTokenChange(file: string, name: string, token: string | undefined): FileChange | undefined {
  const doc = readJsonDoc(file);
  let next: JsonObject;
  try {
    next = withHookToken(doc.value, name, token);
  } catch (err) {
    throw new UserError(`${file}: ${(err as Error).message}`);
  }
  if (doc.text !== null && sameJson(next, doc.value)) {
    // Held already: only a mode others can read is tightened.
    if (token === undefined || doc.mode === undefined || (doc.mode & 0o077) === 0) return undefined;
    return { file, action: 'update', before: doc.text, after: doc.text, mode: 0o600, backup: false };
  }
  if (doc.text === null && token === undefined) return undefined;
  // Taken out of a file that held nothing else: install made it for the token, and it goes.
  if (token === undefined && Object.keys(next).length === 0)
    return { file, action: 'remove', before: doc.text, after: null, mode: doc.mode ?? 0o600, backup: false };
  return {
    file,
    action: doc.text === null ? 'create' : 'update',
    before: doc.text,
    after: formatJson(next, doc.style),
    mode: token === undefined ? (doc.mode ?? 0o600) : 0o600,
    backup: doc.text !== null,
  };
}

/** Refuses the user's settings file where git would commit it (a home or dotfiles repository that does not ignore it). */
export async function refuseCommittedUserSettings(file: string): Promise<void> {
  let real = file;
  try {
    real = realpathSync(file);
  } catch {
    // not written yet: its folder decides
  }
  const tracked = (await isGitTracked(file)) || (real !== file && (await isGitTracked(real)));
  if (!tracked && (await isGitIgnored(real)) !== false) return;
  throw new UserError(
    `${file} is in a git repository that would commit it (${tracked ? 'git tracks it' : 'git does not ignore it'}), and install keeps the hook token in its "env": ignore it in that repository (or keep it out of it), or install with \`--transport mcp\` — nothing was changed`,
  );
}

/** The hook token set in the user's own settings (`file`), where git would not commit it; the project's hooks name it. */
export async function planUserToken(plan: Plan, file: string, name: string, token: string): Promise<void> {
  const c = replannable(() => hookTokenChange(file, name, token));
  if (!c) return;
  await refuseCommittedUserSettings(file);
  plan.changes.push(c);
}
