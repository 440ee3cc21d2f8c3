import { cacheStats, cleanupExpired, clearAll, clearLimits } from '../../cache/kv.js';
import { defineCommand } from '../args.js';
import type { Command } from '../command.js';
import { JSON_FLAG } from '../flags.js';
import { formatBytes, printJson, table } from '../output.js';
import { withCache } from '../../cache/cache.js';

export const cacheCommands: Command[] = [
  defineCommand({
    name: 'cache stats',
    summary: 'Show cache entries (valid, expired) and size on disk',
    description:
      'Counts the entries of the key-value table in $TASKHOOKS_HOME/cache.db (ids and names the sources looked up, rate-limit\n' +
      'lockouts), valid and expired, and the size of the file with its write-ahead log; snapshots, tokens and breakers are\n' +
      'kept in tables of their own and not counted.',
    flags: { json: JSON_FLAG },
    examples: [{ command: 'taskhooks cache stats --json' }],
    async run(ctx, { values }) {
      const { stats, file } = withCache({ home: ctx.settings.home, log: ctx.log() }, (s) => ({
        stats: cacheStats(s),
        file: s.file,
      }));
      if (values.json) printJson(ctx.out, { file, ...stats });
      else
        ctx.out.stdout.write(
          table(
            ctx.out,
            ['entries', 'valid', 'expired', 'size', 'file'],
            [[String(stats.entries), String(stats.valid), String(stats.expired), formatBytes(stats.bytes), file]],
          ),
        );
      return 0;
    },
  }),
  defineCommand({
    name: 'cache cleanup',
    summary: 'Delete expired cache entries',
    description:
      'Deletes the entries `cache stats` counts as expired. Reads already pass them by and the monitor leaves them, so this\n' +
      'only tidies the table: SQLite reuses the space, the file does not shrink.',
    flags: { json: JSON_FLAG },
    examples: [{ command: 'taskhooks cache cleanup' }],
    async run(ctx, { values }) {
      const removed = withCache({ home: ctx.settings.home, log: ctx.log() }, (s) => cleanupExpired(s));
      if (values.json) printJson(ctx.out, { removed });
      else ctx.out.stdout.write(`Removed ${removed} expired ${removed === 1 ? 'entry' : 'entries'}.\n`);
      return 0;
    },
  }),
  defineCommand({
    name: 'cache clear',
    summary: 'Empty the cache (tasks, git state, tokens, breakers, metrics); registered projects stay',
    description:
      'Also resets every circuit breaker: the next hook or refresh asks the task server again at once. With --limits, only the rate-limit lockouts and the breakers go: a service that said "come back tomorrow" is asked again now, and nothing else is forgotten.',
    flags: {
      json: JSON_FLAG,
      limits: { type: 'boolean', description: 'forget only rate-limit lockouts and circuit breakers' },
    },
    examples: [
      { command: 'taskhooks cache clear', description: 'after fixing a task server that the breakers still hold open' },
      { command: 'taskhooks cache clear --limits', description: 'ask a rate-limited tracker again without waiting' },
    ],
    async run(ctx, { values }) {
      const cacheOpts = { home: ctx.settings.home, log: ctx.log() };
      if (values.limits) {
        const removed = withCache(cacheOpts, (s) => clearLimits(s));
        if (values.json) printJson(ctx.out, { cleared: 'limits', removed });
        else
          ctx.out.stdout.write(
            `Rate-limit lockouts and breakers cleared (${removed} removed): the next read asks at once.\n`,
          );
        return 0;
      }
      withCache(cacheOpts, (s) => clearAll(s));
      if (values.json) printJson(ctx.out, { cleared: true });
      else ctx.out.stdout.write('Cache cleared.\n');
      return 0;
    },
  }),
];
