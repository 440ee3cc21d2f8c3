// A miss of the validated-config cache (config-cache.ts), loaded only then: the config loaded and validated, the
// repository's project read (load.ts, project-name.ts), and the entry written for the next run.
import { ensureHome } from '../home/dir.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { deleteAt, getAt } from '../util/object.js';
import { parseEnvValue } from './env.js';
import { envSecrets, keyPath, type ConfigCacheResult, type Entry } from './config-cache-entry.js';
import type { Json } from './layers.js';
import type { LoadedConfig } from './load.js';

/** One entry per project config file in use: sessions in several projects do not evict each other. */
const MAX_ENTRIES = 16;

/**
 * What is stored: the config without the environment's secrets, nor `server.database` and `server.listenDatabase` (a
 * database URL may hold a password, and only `taskhooks serve` needs it, which reads it from the config file itself:
 * `serverDatabase`).
 * `unsafe` names an environment secret that a hit would not read back exactly: then nothing is cached.
 */
function toEntry(slot: string, key: string, loaded: LoadedConfig, env: NodeJS.ProcessEnv): Entry | { unsafe: string } {
  const { database: _database, listenDatabase: _listenDatabase, ...server } = loaded.config.server;
  const config = structuredClone({ ...loaded.config, server });
  for (const b of envSecrets(loaded.origins)) {
    const raw = env[b.name];
    if (raw === undefined || getAt(config, keyPath(b)) !== parseEnvValue(b, raw)) return { unsafe: b.name };
    deleteAt(config as unknown as Json, keyPath(b));
  }
  const { home: _home, origins, ...stored } = loaded;
  return { ...stored, config, slot, key, origins: [...origins] };
}

function writeEntries(home: string, file: string, entries: Entry[]): void {
  ensureHome(home);
  // Atomic: concurrent hooks never read half a file; the last writer wins and the other's entry misses once.
  writeFileAtomic(file, JSON.stringify(entries), 0o600);
}

/**
 * The config in `cwd`, loaded afresh; kept as the entry of `keep.slot` and `keep.key` unless it could not be (an
 * environment secret a hit would not read back, the repository's project unread: the next run loads again).
 */
export async function loadAndKeep(
  options: { cwd: string; env: NodeJS.ProcessEnv },
  keep?: { file: string; slot: string; key: string; entries: Entry[] },
): Promise<ConfigCacheResult> {
  const { env } = options;
  const { loadConfigOfProject } = await import('./load.js');
  const { projectUnread, ...loaded } = await loadConfigOfProject(options);
  if (!keep || projectUnread) return { loaded, hit: false };
  const { file, slot, key, entries } = keep;
  const entry = toEntry(slot, key, loaded, env);
  if ('unsafe' in entry)
    return {
      loaded,
      hit: false,
      error: `config cache ${file} not written: the config's value of ${entry.unsafe} is not the variable's own`,
    };
  try {
    writeEntries(loaded.home, file, [entry, ...entries.filter((e) => e.slot !== slot)].slice(0, MAX_ENTRIES));
    return { loaded, hit: false, kept: true };
  } catch (err) {
    return { loaded, hit: false, error: `config cache ${file} not written: ${(err as Error).message}` };
  }
}
