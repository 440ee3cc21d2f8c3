// Claude Code SessionEnd hook entry point (bundled to dist/hooks/session-end.js). It cannot inject anything; it may
// never run at all when the process is killed.
import { runCommandHook } from '../src/hooks/run.js';
import { sessionEndHook } from '../src/hooks/session-end.js';
import { readHookStdin } from '../src/hooks/stdin.js';

runCommandHook(sessionEndHook, readHookStdin());
