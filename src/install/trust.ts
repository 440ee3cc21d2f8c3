// Trust follows what install and uninstall write, so a file the user trusted is not refused for taskhooks' own change.
import { isTrusted, trustFiles } from '../config/trust.js';
import type { FileChange } from './planning/plan.js';

/**
 * Trust follows what install writes: the project config it creates (from --server/--adapter) is the user's word, and
 * a file that was trusted stays trusted with install's own change in it. A file that already held settings nobody
 * trusted is not trusted by install changing it: the note says so.
 */
export function keepTrust(home: string, changes: FileChange[], projectConfig: string): string[] {
  const notes: string[] = [];
  for (const c of changes) {
    if (c.after === null) continue;
    let wasTrusted = false;
    try {
      wasTrusted = c.before !== null && isTrusted(home, c.file, c.before);
    } catch (err) {
      notes.push(`${err instanceof Error ? err.message : String(err)}`); // an unreadable trust store trusts nothing
    }
    if (wasTrusted || (c.file === projectConfig && c.before === null))
      trustFiles(home, [{ file: c.file, text: c.after }]);
    else if (c.file === projectConfig)
      notes.push(
        `${c.file} holds settings install did not write and is not trusted: review it, then run \`taskhooks trust\``,
      );
  }
  return notes;
}
