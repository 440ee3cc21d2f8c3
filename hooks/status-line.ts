// Claude Code status-line entry point (bundled to dist/hooks/status-line.js; `taskhooks install --statusline` points
// settings at it). A process of its own after every assistant message, so it is built and checked like the hooks.
import { readHookStdin } from '../src/hooks/hosts/stdin.js';
import { runStatusLine } from '../src/statusline/index.js';

runStatusLine(readHookStdin());
