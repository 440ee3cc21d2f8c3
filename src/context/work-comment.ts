// A session's work record as a comment on a tracker's issue (src/network/work-records.ts writes it): who, where and
// when, then what it did, as a session is told of it (./work-lines.ts). Every part is cleaned and scrubbed of secrets,
// the closing words above all, and the whole scrubbed again before it leaves the machine.
import { loadTokenFormats, scrubString } from '../log/redact.js';
import { sanitize } from './sanitize.js';
import { viewOf, whoOf, workWhat, type RecordFields } from './work-lines.js';

export async function workComment(r: RecordFields & { machine: string }): Promise<string> {
  await loadTokenFormats(r);
  const view = viewOf(r);
  const ended = `${r.endedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const where = r.machine ? ` on ${sanitize(r.machine, 64)}` : '';
  return scrubString(`Work record (taskhooks): a session${whoOf(view)}${where}, ended ${ended}: ${workWhat(view)}`);
}
