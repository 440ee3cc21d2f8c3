// A repository is a stranger. With a user-scope install or the plugin, the hooks run in every repository the user
// opens, so its own files (.claude/taskhooks.json, .mcp.json) are input from whoever wrote the repository until the
// user trusts them — as Claude Code asks before it honours a folder's settings. Trust names a file and its content:
// any change makes the file a stranger again.
import { createHash } from 'node:crypto';
import { ensureHome } from '../home/dir.js';
import { homeFiles } from '../home/files.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { withWriteLock } from '../files/write-lock.js';
import { isJsonObject } from '../util/object.js';
import { CONFIG_MAX_BYTES, readFailure, readTextCapped } from '../util/safe-read.js';
import { allowedKeys, isRecordKey } from './keys.js';
import type { Json } from './layers.js';
import { samePath } from '../util/windows-path.js';

interface TrustStore {
  files: Record<string, { sha256: string; trustedAt: string }>;
}

export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The trust store; missing means nothing is trusted yet. Throws, naming the file, when it cannot be read. */
function readStore(home: string): TrustStore {
  const file = homeFiles(home).trust;
  let text: string;
  try {
    text = readTextCapped(file, CONFIG_MAX_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { files: {} };
    throw new Error(`cannot read ${file} (${readFailure(err)}): project files count as not trusted`, { cause: err });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed) && isJsonObject(parsed.files)) return parsed as unknown as TrustStore;
  } catch (err) {
    throw new Error(
      `${file} is not valid JSON: project files count as not trusted; \`taskhooks trust\` writes it anew`,
      { cause: err },
    );
  }
  throw new Error(`${file} has no "files": project files count as not trusted; \`taskhooks trust\` writes it anew`);
}

/**
 * The store's name for `file`: on Windows the one file has one entry whatever case its path comes in (a terminal's
 * `c:\\users`, an agent's `C:\\Users`), so the first spelling stays; elsewhere the path itself.
 */
function storedName(store: TrustStore, file: string, platform: NodeJS.Platform): string {
  return Object.keys(store.files).find((k) => samePath(k, file, platform)) ?? file;
}

/** Whether the user trusted `file` with exactly this content. */
export function isTrusted(home: string, file: string, text: string, platform = process.platform): boolean {
  const store = readStore(home);
  return store.files[storedName(store, file, platform)]?.sha256 === digest(text);
}

/** Records each file, with its current content, as trusted (a damaged store is started anew). */
export function trustFiles(
  home: string,
  files: ReadonlyArray<{ file: string; text: string }>,
  now = new Date(),
  platform = process.platform,
): void {
  ensureHome(home);
  // Read and written under the store's lock: another install or `trust` at once keeps what it trusted.
  withWriteLock(homeFiles(home).fileLocks, homeFiles(home).trust, () => {
    let store: TrustStore;
    try {
      store = readStore(home);
    } catch {
      store = { files: {} }; // what it held is unreadable: trusting these files anew is what the user asked for
    }
    for (const { file, text } of files)
      store.files[storedName(store, file, platform)] = { sha256: digest(text), trustedAt: now.toISOString() };
    writeFileAtomic(homeFiles(home).trust, `${JSON.stringify(store, null, 2)}\n`, 0o600);
  });
}

/** Forgets the files; returns how many were trusted. */
export function revokeTrust(home: string, files: readonly string[], platform = process.platform): number {
  const trusted = (store: TrustStore) =>
    files.map((f) => storedName(store, f, platform)).filter((f) => store.files[f] !== undefined);
  // Nothing trusted: nothing to write, and no lock to take in a state directory that may not be there.
  if (trusted(readStore(home)).length === 0) return 0;
  return withWriteLock(homeFiles(home).fileLocks, homeFiles(home).trust, () => {
    const store = readStore(home);
    const known = trusted(store);
    for (const f of known) delete store.files[f];
    if (known.length > 0) writeFileAtomic(homeFiles(home).trust, `${JSON.stringify(store, null, 2)}\n`, 0o600);
    return known.length;
  });
}

/**
 * What a project file may set without being trusted: what can neither run code nor move a secret — the project's
 * name on the server, how much the context shows, and guards (which only ever add to the user's).
 */
const UNTRUSTED_ALLOWED: ReadonlySet<string> = new Set([
  'source.project',
  'hooks.contextBudget',
  'hooks.maxPendingTasks',
  'hooks.guards.protectedPaths',
  'hooks.guards.protectedBranches',
  'hooks.guards.requireActiveTask',
]);

/** The machine's own daemon and servers: one per user, so never set by a project, trusted or not. */
const MACHINE_SECTIONS: ReadonlySet<string> = new Set(['monitor', 'server']);

/** Every leaf of a layer, as the path of keys that reach it; arrays and records are leaves. */
function leaves(layer: Json, prefix: readonly string[] = []): string[][] {
  return Object.entries(layer).flatMap(([k, v]) => {
    const path = [...prefix, k];
    return isJsonObject(v) && Object.keys(v).length > 0 && !isRecordKey(path.join('.')) ? leaves(v, path) : [path];
  });
}

/**
 * Whether every key on the path is one the schema has at its place. A key spelled with a dot ("source.project") or
 * named after an object's own machinery ("__proto__") is none, so it can pass for no allowed key.
 */
function known(path: readonly string[]): boolean {
  return path.every((k, i) => allowedKeys(path.slice(0, i)).includes(k));
}

/** The key as a person reads it: dotted, with a key that holds a dot (or is not plain) quoted as JSON. */
const keyName = (path: readonly string[]): string =>
  path.map((k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k))).join('.');

/** The leaves at `paths`, in objects of their own (own properties only: a key never reaches a prototype). */
function pick(layer: Json, paths: readonly string[][]): Json {
  const out: Json = {};
  for (const path of paths) {
    let from: unknown = layer;
    let to = out;
    path.forEach((p, i) => {
      from = isJsonObject(from) && Object.hasOwn(from, p) ? from[p] : undefined;
      if (i === path.length - 1) Object.defineProperty(to, p, { value: from, enumerable: true, writable: true });
      else {
        if (!Object.hasOwn(to, p)) Object.defineProperty(to, p, { value: {}, enumerable: true, writable: true });
        to = to[p] as Json;
      }
    });
  }
  return out;
}

/**
 * The part of a project file that takes effect, and the keys that do not (for the one line that says so). An
 * untrusted file keeps only the allowed keys, spelled as the schema spells them; a trusted one keeps every key but the
 * machine's sections, and the schema names any it does not know. A key named after an object's machinery is dropped
 * either way, since no merge may reach a prototype through it.
 */
export function projectLayer(layer: Json, trusted: boolean): { kept: Json; ignored: string[] } {
  const paths = leaves(layer);
  const allowed = (path: readonly string[]): boolean => {
    if (MACHINE_SECTIONS.has(path[0] as string) || path.includes('__proto__')) return false;
    return trusted || (known(path) && UNTRUSTED_ALLOWED.has(path.join('.')));
  };
  return { kept: pick(layer, paths.filter(allowed)), ignored: paths.filter((p) => !allowed(p)).map(keyName) };
}

/** Whether a project's .mcp.json carries request headers: the only thing taskhooks would take from it. */
export function mcpJsonHasHeaders(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    const servers = isJsonObject(parsed) && isJsonObject(parsed.mcpServers) ? Object.values(parsed.mcpServers) : [];
    return servers.some((s) => isJsonObject(s) && isJsonObject(s.headers) && Object.keys(s.headers).length > 0);
  } catch {
    return false; // unreadable JSON: there is nothing taskhooks could use from it either
  }
}
