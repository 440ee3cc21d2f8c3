// Notices told to a session are kept a while: when the monitor took a session's start but answered too late, the
// node hook answers that start again (src/home/monitor-late.ts) and tells what the monitor took for the session.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { namesIn } from '../util/dir.js';
import { homeFiles } from './files.js';
import { takeNoticeFile, TOLD } from './notices.js';

/** Long past any late answer: a notice told this long ago is gone. */
const RETELL_MS = 10 * 60_000;

const sessionDir = (home: string) => path.join(homeFiles(home).notices, 'session');

/** The told notices in the session channel: each file's name, when it was told and to which session. */
function toldFiles(home: string): Array<{ file: string; at: number; session: string }> {
  const dir = sessionDir(home);
  return namesIn(dir)
    .sort()
    .flatMap((name) => {
      const at = name.indexOf(TOLD);
      if (at < 0) return [];
      const told = name.slice(at + TOLD.length);
      const dash = told.indexOf('-');
      return [{ file: path.join(dir, name), at: Number(told.slice(0, dash)), session: told.slice(dash + 1) }];
    });
}

/** Removes the notices told over RETELL_MS ago (or under a name this code did not write): the monitor's upkeep. */
export function pruneToldNotices(home: string, now = Date.now()): void {
  for (const t of toldFiles(home)) if (!(now - t.at <= RETELL_MS)) rmSync(t.file, { force: true });
}

/** The notices told to `session` within RETELL_MS, oldest first, each gone once returned. */
export function retellNotices(home: string, session: string, now = Date.now()): string[] {
  pruneToldNotices(home, now);
  // A notice another run of this session took first is left to it.
  return toldFiles(home)
    .filter((f) => f.session === session)
    .flatMap((t) => takeNoticeFile(t.file, `${t.file}.retold-${process.pid}`) ?? []);
}
