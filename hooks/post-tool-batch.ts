// Claude Code PostToolBatch hook entry point (bundled to dist/hooks/post-tool-batch.js). After a batch of tool calls
// nearly always nothing changed: that is decided from two small files before zod, the config or SQLite are loaded.
import { readHookStdin } from '../src/hooks/stdin.js';
import { mayHaveNews } from '../src/hooks/news-gate.js';

const stdin = readHookStdin();
if (!mayHaveNews(stdin.value, process.env)) process.exit(0);
Promise.all([import('../src/hooks/run.js'), import('../src/hooks/post-tool-batch.js')]).then(
  ([{ runCommandHook }, { postToolBatchHook }]) => runCommandHook(postToolBatchHook, stdin),
  // Only a broken build lands here, before any logger exists: still no stack trace, still exit 0.
  () => process.exit(0),
);
