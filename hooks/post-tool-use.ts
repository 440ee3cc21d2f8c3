// Claude Code PostToolUse hook entry point (bundled to dist/hooks/post-tool-use.js). Its matcher already limits it to
// the task-changing tools; any other call (a broad matcher, a read-only action) exits before zod, the config or SQLite
// are even initialised (the imports below are lazy).
import { readHookStdin } from '../src/hooks/stdin.js';
import { mayChangeTasks } from '../src/hooks/task-tools.js';

const stdin = readHookStdin();
if (!mayChangeTasks(stdin.value)) process.exit(0);
Promise.all([import('../src/hooks/run.js'), import('../src/hooks/post-tool-use.js')]).then(
  ([{ runCommandHook }, { postToolUseHook }]) => runCommandHook(postToolUseHook, stdin),
  // Only a broken build lands here, before any logger exists: still no stack trace, still exit 0.
  () => process.exit(0),
);
