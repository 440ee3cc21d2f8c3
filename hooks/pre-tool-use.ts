// Claude Code PreToolUse hook entry point (bundled to dist/hooks/pre-tool-use.js). Most tool calls are none of its
// business: those exit before zod, the config or SQLite are even initialised (the imports below are lazy).
import { readHookStdin } from '../src/hooks/stdin.js';
import { mayBeWatched } from '../src/hooks/prefilter.js';

const stdin = readHookStdin();
if (!mayBeWatched(stdin.value)) process.exit(0);
Promise.all([import('../src/hooks/run.js'), import('../src/hooks/pre-tool-use.js')]).then(
  ([{ runCommandHook }, { preToolUseHook }]) => runCommandHook(preToolUseHook, stdin),
  // Only a broken build lands here, before any logger exists: still no stack trace, still exit 0 (fail open).
  () => process.exit(0),
);
