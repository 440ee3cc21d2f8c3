// Claude Code PostToolUse hook entry point (bundled to dist/hooks/post-tool-use.js). It runs after every tool call;
// a call that changes no tasks, in a session with nothing new to hear (nearly all of them), exits before zod, the
// config or SQLite are even initialised (the imports below are lazy).
import { readHookStdin } from '../src/hooks/stdin.js';
import { mayHaveNews } from '../src/hooks/news-gate.js';
import { mayChangeTasks } from '../src/hooks/task-tools.js';

const stdin = readHookStdin();
if (!mayChangeTasks(stdin.value) && !mayHaveNews(stdin.value, process.env)) process.exit(0);
Promise.all([import('../src/hooks/run.js'), import('../src/hooks/post-tool-use.js')]).then(
  ([{ runCommandHook }, { postToolUseHook }]) => runCommandHook(postToolUseHook, stdin),
  // Only a broken build lands here, before any logger exists: still no stack trace, still exit 0.
  () => process.exit(0),
);
