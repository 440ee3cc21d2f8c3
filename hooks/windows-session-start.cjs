// The plugin's SessionStart on Windows: hooks/hooks.json runs it with node in exec form (no shell) on every OS, beside
// the shell and perl entry that answers on Linux and macOS. Elsewhere it ends at once, before loading anything; on
// Windows the node hook asks the monitor first (--ask-monitor, in its arguments) and else answers itself.
if (process.platform === 'win32') require('../dist/hooks/session-start.js');
