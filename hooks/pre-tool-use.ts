// Claude Code PreToolUse hook entry point (bundled to dist/hooks/pre-tool-use.js).
import { runCommandHook } from '../src/hooks/run.js';
import { preToolUseHook } from '../src/hooks/pre-tool-use.js';

runCommandHook(preToolUseHook);
