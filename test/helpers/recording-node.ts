// A `node` that notes the script each run names (its first argument) and then runs it: first on a PATH, it shows which
// of the programs under test started Node by name, and with what.
import { existsSync, readFileSync } from 'node:fs';

/** The program's text (a shell script, to be written executable as `node`) and the scripts it ran so far, in order. */
export function recordingNode(log: string): { text: string; runs: () => string[] } {
  return {
    text: `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\nexec '${process.execPath}' "$@"\n`,
    runs: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}
