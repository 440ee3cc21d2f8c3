// What the validated-config cache (config-cache.ts) stores and answers, shared by its hit and its miss
// (config-cache-miss.ts): an entry, and the environment's secrets an entry leaves out.
import { ENV_BINDINGS, isSecretKey, type EnvBinding } from './env.js';
import type { LoadedConfig, Origin } from './load.js';

/** A LoadedConfig as stored: its origins as pairs, under the slot and key it was stored for, without the home. */
export type Entry = Omit<LoadedConfig, 'home' | 'origins'> & {
  slot: string;
  key: string;
  origins: Array<[string, Origin]>;
};

export interface ConfigCacheResult {
  loaded: LoadedConfig;
  hit: boolean;
  /** Why the cache could not be written (the config itself is fine): for the log. */
  error?: string;
  /** The entry was written: a load under the same key may use this result again. */
  kept?: true;
}

/** The environment variables holding secrets that the loaded config took its value from. */
export function envSecrets(origins: Iterable<[string, Origin]>): EnvBinding[] {
  const fromEnv = new Set([...origins].flatMap(([key, o]) => (o.kind === 'env' ? [`${o.name}=${key}`] : [])));
  return ENV_BINDINGS.filter((b) => isSecretKey(b.key) && fromEnv.has(`${b.name}=${b.key}`));
}

export const keyPath = (b: EnvBinding): string[] => b.key.split('.');
