// The command hooks' validated-config cache. Building the zod schema and running it over the merged layers is
// most of a hook's own start-up (~9 ms); a hit costs a few stats and one small JSON read, and the loader (with the
// schema behind it) is imported only on a miss (config-cache-miss.ts), with the repository's project (project-name.ts),
// which an entry keeps.
//
// Secrets: an entry holds the validated config less the secrets taken from the environment (a user who keeps them
// there expects them never stored); a hit reads those again from the environment. Its key holds an HMAC of the
// environment values it depends on, under a random key of the state directory's (config-cache.key). The secrets of
// the config files stay in the entry, so the file is written 0600 inside the 0700 state directory.
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_BINDINGS, parseEnvValue } from './env.js';
import { envSecrets, keyPath, type ConfigCacheResult, type Entry } from './config-cache-entry.js';
import { getAt } from '../util/object.js';
import type { Json } from './layers.js';
import { ensureHome, resolveHome } from '../home/dir.js';
import { homeFiles } from '../home/files.js';
import { ensureConfigCacheKey } from '../home/secrets.js';
import { findProjectFiles } from './project.js';
import { hmacSha256 } from '../util/crypto.js';
import { CONFIG_MAX_BYTES, readTextCapped } from '../util/safe-read.js';
import type { LoadedConfig } from './load.js';

/** Set by the build for all its bundles alike (scripts/bundles.mjs); absent when the sources run as they are (tests). */
declare const __TASKHOOKS_BUILD__: string | undefined;
/** What changes with the code: the build, else this file itself. */
const codeStamp = (): string =>
  typeof __TASKHOOKS_BUILD__ === 'string' ? __TASKHOOKS_BUILD__ : stamp(fileURLToPath(import.meta.url));
/** Bumped when an entry's shape changes. */
const FORMAT = 3;

/** Changes whenever the file is edited, replaced, made unreadable, appears or goes away. */
function stamp(file: string | undefined): string {
  if (file === undefined) return '-';
  try {
    // Most of these files are absent: no error is made for that.
    const s = statSync(file, { throwIfNoEntry: false });
    return s ? `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : 'ENOENT';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'unstatable';
  }
}

/**
 * Everything loadConfig's result depends on: the code (a new build may change the schema or its defaults), the
 * environment variables it reads, which config files exist with what content, and what the user trusts. Taken before
 * loading, so a file edited meanwhile only makes the next run miss. `slot` is the part a newer key replaces (the same
 * project files: a rebuild, an edited file or another environment takes over its entry), so stale entries do not pile
 * up.
 */
function fingerprint(
  files: { home: string; user: string; trust: string; project: string | undefined; mcpJson: string | undefined },
  env: NodeJS.ProcessEnv,
  hashKey: () => string,
): { slot: string; key: string } {
  const slot = JSON.stringify([FORMAT, files.project ?? null, files.mcpJson ?? null]);
  // The repository's own config (beside .mcp.json): another origin, or another repository made there, is another project.
  const gitConfig = files.mcpJson && path.join(path.dirname(files.mcpJson), '.git', 'config');
  const stamps = [files.user, files.trust, files.project, files.mcpJson, gitConfig].map(stamp);
  const values = ENV_BINDINGS.map((b) => env[b.name] ?? null);
  // Usually no config value comes from the environment: then there is nothing to hash, and neither the key file is
  // read nor node:crypto loaded.
  const envHash = values.every((v) => v === null) ? 'unset' : hmacSha256(hashKey(), JSON.stringify(values));
  const key = JSON.stringify([slot, codeStamp(), files.home, envHash, ...stamps]);
  return { slot, key };
}

function readEntries(file: string): Entry[] {
  try {
    // Sixteen entries of a config fit a few times over; anything larger is not one this code wrote.
    const parsed: unknown = JSON.parse(readTextCapped(file, 4 * CONFIG_MAX_BYTES));
    return Array.isArray(parsed) ? (parsed as Entry[]) : [];
  } catch {
    // A missing, refused or damaged file is a miss, and the miss rewrites it. A crash mid-write cannot damage it,
    // since every write is a rename.
    return [];
  }
}

/** The entry's config with the environment's secrets put back, read from `env` again. */
function fromEntry(entry: Entry, home: string, env: NodeJS.ProcessEnv): LoadedConfig {
  for (const b of envSecrets(entry.origins)) {
    const parent = getAt(entry.config, keyPath(b).slice(0, -1));
    const raw = env[b.name];
    if (parent !== null && typeof parent === 'object' && raw !== undefined)
      (parent as Json)[keyPath(b).at(-1) as string] = parseEnvValue(b, raw);
  }
  const { slot: _slot, key: _key, origins, ...stored } = entry;
  return { ...stored, home, origins: new Map(origins) };
}

/**
 * What this process has loaded, by key: the monitor loads every followed project's config each cycle and at every
 * hook it serves. A miss's result is held, or with more projects than the file keeps entries each load would evict
 * the next one's: a miss (a git process, the store opened and checked) for every project on every cycle. An entry read
 * from the file twice is held too, so the monitor's later loads of it read no file; a hook's one read copies nothing,
 * and only marks the key. Bounded, the oldest dropped first.
 */
type Held = { loaded: LoadedConfig } | { entry: Entry } | { readOnce: true };
const held = new Map<string, Held>();
const HELD_MAX = 256;

function hold(key: string, h: Held): void {
  held.delete(key);
  held.set(key, h);
  // A Map iterates in insertion order: its first key is the one held longest.
  if (held.size > HELD_MAX) held.delete(held.keys().next().value ?? '');
}

/** A copy of what is held, the caller's to change. */
function fromHeld(h: Exclude<Held, { readOnce: true }>, home: string, env: NodeJS.ProcessEnv): LoadedConfig {
  return 'loaded' in h ? structuredClone(h.loaded) : fromEntry(structuredClone(h.entry), home, env);
}

/** loadConfig's result for the hooks, from the cache when nothing it depends on changed since it was stored. */
export async function loadConfigThroughConfigCache(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
}): Promise<ConfigCacheResult> {
  const { cwd, env } = options;
  const home = resolveHome(env);
  const { configCache: file, config: userFile, trust } = homeFiles(home);
  const { configFile, mcpJson } = findProjectFiles(cwd);
  let fingerprinted: { slot: string; key: string };
  try {
    ensureHome(home);
    const files = { home, user: userFile, trust, project: configFile, mcpJson };
    fingerprinted = fingerprint(files, env, () => ensureConfigCacheKey(home));
  } catch (err) {
    const { loadAndKeep } = await import('./config-cache-miss.js');
    return {
      ...(await loadAndKeep({ cwd, env })),
      hit: false,
      error: `config cache not used: ${homeFiles(home).configCacheKey}: ${(err as Error).message}`,
    };
  }
  const { slot, key } = fingerprinted;
  const kept = held.get(key);
  if (kept && !('readOnce' in kept)) return { loaded: fromHeld(kept, home, env), hit: true };
  const entries = readEntries(file);
  const found = entries.find((e) => e.key === key);
  if (found) {
    // Copied before fromEntry puts the environment's secrets into it: each later copy gets them from its own call.
    hold(key, kept ? { entry: structuredClone(found) } : { readOnce: true });
    return { loaded: fromEntry(found, home, env), hit: true };
  }

  const { loadAndKeep } = await import('./config-cache-miss.js');
  const result = await loadAndKeep({ cwd, env }, { file, slot, key, entries });
  if (result.kept) hold(key, { loaded: structuredClone(result.loaded) });
  return result;
}
