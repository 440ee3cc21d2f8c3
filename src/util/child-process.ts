// node:child_process on first use, by `require`: it costs a hook ~5 ms to load, which a hook served from the cache
// never pays; and an `import()` of it from a CommonJS hook bundle would start the ES module loader besides.
import { createRequire } from 'node:module';

export const childProcess = (): typeof import('node:child_process') =>
  createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
