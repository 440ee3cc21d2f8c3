import { cacheStats, cleanupExpired, clearAll } from '../../cache/kv.js';
import { openStore } from '../../cache/store.js';
import { parseFlags } from '../args.js';
import type { CliContext, Command } from '../command.js';
import { formatBytes, printJson, table } from '../output.js';

function withStore<T>(ctx: CliContext, fn: (store: ReturnType<typeof openStore>) => T): T {
  const { home } = ctx.settings;
  const store = openStore({ home, log: ctx.log() });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

const jsonFlag = { json: { type: 'boolean' } } as const;

export const cacheCommands: Command[] = [
  {
    name: 'cache stats',
    summary: 'Show cache entries (valid, expired) and size on disk',
    usage: 'taskhooks cache stats [--json]',
    async run(ctx) {
      const { values } = parseFlags(ctx.args, jsonFlag, 'taskhooks cache stats [--json]');
      const { stats, file } = withStore(ctx, (s) => ({ stats: cacheStats(s), file: s.file }));
      if (values.json) printJson(ctx.out, { file, ...stats });
      else
        ctx.out.stdout.write(
          table(ctx.out, ['entries', 'valid', 'expired', 'size', 'file'], [
            [String(stats.entries), String(stats.valid), String(stats.expired), formatBytes(stats.bytes), file],
          ]),
        );
      return 0;
    },
  },
  {
    name: 'cache cleanup',
    summary: 'Delete expired cache entries',
    usage: 'taskhooks cache cleanup [--json]',
    async run(ctx) {
      const { values } = parseFlags(ctx.args, jsonFlag, 'taskhooks cache cleanup [--json]');
      const removed = withStore(ctx, (s) => cleanupExpired(s));
      if (values.json) printJson(ctx.out, { removed });
      else ctx.out.stdout.write(`Removed ${removed} expired ${removed === 1 ? 'entry' : 'entries'}.\n`);
      return 0;
    },
  },
  {
    name: 'cache clear',
    summary: 'Empty the cache (tasks, git state, tokens, breakers, metrics); registered projects stay',
    usage: 'taskhooks cache clear [--json]',
    async run(ctx) {
      const { values } = parseFlags(ctx.args, jsonFlag, 'taskhooks cache clear [--json]');
      withStore(ctx, (s) => clearAll(s));
      if (values.json) printJson(ctx.out, { cleared: true });
      else ctx.out.stdout.write('Cache cleared.\n');
      return 0;
    },
  },
];
