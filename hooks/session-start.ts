// Claude Code SessionStart hook entry point (bundled to dist/hooks/session-start.js).
import { runCommandHook } from '../src/hooks/run.js';
import { sessionStartHook } from '../src/hooks/session-start.js';
import { readHookStdin } from '../src/hooks/stdin.js';

runCommandHook(sessionStartHook, readHookStdin());
