// The smallest honest hook cycle: open the shared store, read one snapshot, print the hook JSON.
// Bundled like a real hook (dist/bench/minimal-hook.js) so the figure is what the bundling approach costs.
import { openCache } from '../src/cache/cache.js';
import { readSnapshot, writeSnapshot } from '../src/cache/snapshots.js';

const home = process.env.TASKHOOKS_HOME as string;
const cache = openCache({ home });
if (process.argv[2] === '--seed') {
  cache.write(() =>
    writeSnapshot(cache, {
      sourceKey: 'bench',
      project: 'bench',
      branch: 'main',
      fetchedAt: Date.now(),
      source: 'bench',
      next: null,
      tasks: Array.from({ length: 5 }, (_, i) => ({
        id: `T-${i}`,
        title: `Task ${i}`,
        description: 'x'.repeat(200),
        status: 'todo' as const,
        priority: 'high' as const,
        assignees: [],
        labels: [],
        dependencies: [],
      })),
    }),
  );
} else {
  const snap = readSnapshot(cache, { sourceKey: 'bench', project: 'bench', branch: 'main' });
  process.stdout.write(
    JSON.stringify({
      hookSpecificOutput: {
        hookEventName: 'SessionStart',
        additionalContext: (snap?.tasks ?? []).map((t) => t.title).join('\n'),
      },
    }),
  );
}
cache.close();
