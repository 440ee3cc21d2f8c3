// Claude Code UserPromptSubmit hook entry point (bundled to dist/hooks/user-prompt-submit.js). Almost every prompt
// finds nothing new: that is decided from two small files before zod, the config or SQLite are loaded.
import { readHookStdin } from '../src/hooks/stdin.js';
import { mayHaveNews } from '../src/hooks/news-gate.js';

const stdin = readHookStdin();
if (!mayHaveNews(stdin.value, process.env)) process.exit(0);
Promise.all([import('../src/hooks/run.js'), import('../src/hooks/user-prompt-submit.js')]).then(
  ([{ runCommandHook }, { userPromptSubmitHook }]) => runCommandHook(userPromptSubmitHook, stdin),
  // Only a broken build lands here, before any logger exists: still no stack trace, still exit 0 (fail open).
  () => process.exit(0),
);
