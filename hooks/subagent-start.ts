// Claude Code SubagentStart hook entry point (bundled to dist/hooks/subagent-start.js): tells a subagent, in one line,
// the task and branch its parent session works on.
import { runCommandHook } from '../src/hooks/run.js';
import { subagentStartHook } from '../src/hooks/subagent-start.js';
import { readHookStdin } from '../src/hooks/stdin.js';

runCommandHook(subagentStartHook, readHookStdin());
