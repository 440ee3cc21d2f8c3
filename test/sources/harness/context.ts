// Shared pieces of the harnesses: a temporary home with its cache, and the settings of a configured source.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCache, type Cache } from '../../../src/cache/cache.js';
import { openSource, type OpenSourceArgs } from '../../../src/sources/open.js';
import type { TaskSource } from '../../../src/sources/source.js';
import { silentLogger } from '../../helpers/cache.js';
import { sourceOf } from '../../helpers/settings.js';

export interface Home {
  dir: string;
  cache: Cache;
  /** Opens the source a config object means, in `projectRoot`, with no retries or breaker cool-down to wait for. */
  open(config: Record<string, unknown>, projectRoot: string, extra?: Partial<OpenSourceArgs>): TaskSource;
  close(): void;
}

export function tempHome(prefix: string): Home {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const cache = openCache({ home: dir });
  return {
    dir,
    cache,
    open: (config, projectRoot, extra = {}) =>
      openSource({
        source: sourceOf(config),
        home: dir,
        cache,
        log: silentLogger(),
        projectRoot,
        policy: { retries: 0, breakerThreshold: 1000, baseDelayMs: 1 },
        ...extra,
      }),
    close: () => {
      cache.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
