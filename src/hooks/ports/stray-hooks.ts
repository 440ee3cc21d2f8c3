// Hooks that post to a port another process holds. An http hook's URL is a literal port written at install; when the
// monitor later serves elsewhere (another process took its port), a session started with those hooks would hand every
// tool call's input, and the hook token, to whatever listens there. SessionStart checks before anything is posted: here
// what is read on every start (the settings, the monitor's port), in ./stray-stop.ts what runs only when they differ.
import { CONFIG_MAX_BYTES, readTextIfPresent } from '../../util/safe-read.js';
import { isJsonObject } from '../../util/object.js';
import { HOOK_TOKEN_HEADER, referencedVar } from '../../home/hook-token-env.js';
import { projectSettingsFiles as claudeSettingsFiles } from '../../agents/claude/config.js';

/** An http hook posting to the monitor's routes: `/hooks/<event>` on loopback, its port (80 when the URL names none). */
const SERVED_ROUTE = /^http:\/\/(?:127\.0\.0\.1|localhost)(?::(\d+))?\/hooks\/([a-z-]+)$/;
const TOKEN_HEADER = 'x-taskhooks-token';

/** One http hook of a settings file that posts to a monitor's route. */
export interface ServedHookTarget {
  file: string;
  event: string;
  port: number;
  /** Its X-Taskhooks-Token header, when it has one (install's names a variable: see resolvedToken). */
  token?: string;
  /** The handler itself: whether install wrote it is judged from it (src/install/endpoint/served-hook.ts). */
  handler: Record<string, unknown>;
}

/** The route an http handler posts to, when it is a monitor's: its port and event. */
export function servedRoute(handler: Record<string, unknown>): { port: number; event: string } | undefined {
  if (handler.type !== 'http' || typeof handler.url !== 'string') return undefined;
  const m = SERVED_ROUTE.exec(handler.url);
  return m ? { port: Number(m[1] ?? 80), event: m[2] ?? '' } : undefined;
}

function tokenOf(handler: Record<string, unknown>): string | undefined {
  if (!isJsonObject(handler.headers)) return undefined;
  const found = Object.entries(handler.headers).find(([k]) => k.toLowerCase() === TOKEN_HEADER)?.[1];
  return typeof found === 'string' ? found : undefined;
}

/** An earlier install's header: the token itself, before it moved to the person's own settings. */
const LITERAL_TOKEN = /^[0-9a-f]{64}$/;
const SHAPE_KEYS = new Set(['type', 'url', 'headers', 'allowedEnvVars', 'timeout', 'onFailure', 'if']);

/**
 * Whether an http handler has the shape install writes, every key and value but the timeout held to it: the stray-hook
 * check judges only these (src/install/endpoint/served-hook.ts, which the monitor's rewrite uses, holds the timeout too).
 */
export function hasServedShape(h: Record<string, unknown>): boolean {
  if (h.type !== 'http' || typeof h.url !== 'string' || typeof h.timeout !== 'number') return false;
  if (!/^http:\/\/127\.0\.0\.1:\d+\/hooks\/[a-z-]+$/.test(h.url) || !isJsonObject(h.headers)) return false;
  if (!Object.keys(h).every((k) => SHAPE_KEYS.has(k)) || Object.keys(h.headers).join() !== HOOK_TOKEN_HEADER)
    return false;
  if (![undefined, 'block'].includes(h.onFailure as string) || ![undefined, 'Bash(*git*)'].includes(h.if as string))
    return false;
  const value = h.headers[HOOK_TOKEN_HEADER];
  const name = referencedVar(value);
  if (name === undefined)
    return typeof value === 'string' && LITERAL_TOKEN.test(value) && h.allowedEnvVars === undefined;
  return Array.isArray(h.allowedEnvVars) && h.allowedEnvVars.length === 1 && h.allowedEnvVars[0] === name;
}

/** A settings file's parsed JSON, or undefined when it is missing, refused or not JSON (Claude Code reads no hooks there). */
export function readSettings(file: string): unknown {
  try {
    const text = readTextIfPresent(file, CONFIG_MAX_BYTES);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Every http hook of a settings file's `hooks` that posts to a monitor's route. */
export function servedHookTargets(file: string, settings: unknown = readSettings(file)): ServedHookTarget[] {
  if (!isJsonObject(settings) || !isJsonObject(settings.hooks)) return [];
  const targets: ServedHookTarget[] = [];
  for (const groups of Object.values(settings.hooks)) {
    if (!Array.isArray(groups)) continue;
    for (const group of groups) {
      const handlers: unknown[] = isJsonObject(group) && Array.isArray(group.hooks) ? group.hooks : [];
      for (const h of handlers) {
        const route = isJsonObject(h) ? servedRoute(h) : undefined;
        if (!route || !isJsonObject(h)) continue;
        const token = tokenOf(h);
        targets.push({ file, ...route, ...(token === undefined ? {} : { token }), handler: h });
      }
    }
  }
  return targets;
}

/** A reader of settings files that reads each at most once: SessionStart's checks share it. */
export function settingsReader(): (file: string) => unknown {
  const read = new Map<string, unknown>();
  return (file) => {
    if (!read.has(file)) read.set(file, readSettings(file));
    return read.get(file);
  };
}

/** The project settings files Claude Code reads for a session in `dirs` (its folder and the repository's root). */
export function projectSettingsFiles(dirs: ReadonlyArray<string | undefined>): string[] {
  const roots = [...new Set(dirs.filter((d): d is string => d !== undefined))];
  return roots.flatMap(claudeSettingsFiles);
}

/** Served hooks posting elsewhere than the home's monitor serves, and where it serves (see StrayHooks). */
export interface HooksElsewhere {
  /** Hooks shaped like the monitor's that install did not write: told of, never acted on. */
  foreign: ServedHookTarget[];
  /** Hooks that may hand their input to another process: any not posting to the running monitor. */
  targets: ServedHookTarget[];
  /** Every served hook of the project, the ones posting to the monitor too (their token may be an old one). */
  all: ServedHookTarget[];
  monitorPort: number | null | undefined;
}
