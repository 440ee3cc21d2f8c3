// A session's work records where its tasks live elsewhere (./work-record.ts writes the built-in store's and makes
// these): sent to a team's server, which keeps them for a teammate's next session, or written back to a tracker as a
// comment when `hooks.workComments` says so. Loaded by ./work-record.ts only then, and the network stack with it.
import { workComment } from '../../context/work-comment.js';
import { findGitRoot } from '../../git/repo.js';
import type { WorkRecord } from '../../store/work-records.js';
import { deadlineAt } from '../../util/deadline.js';
import type { HookDeps } from '../types.js';

/** Sending ends this long after the hook started: within SessionEnd's watchdog (4.5 s), with room to log a failure. */
const SHARE_UNTIL_MS = 4000;

/** Sends the records of a session that ran in `cwd`; returns how many were kept or commented. Failures are logged. */
export async function shareWork(deps: HookDeps, cwd: string, records: readonly WorkRecord[]): Promise<number> {
  const { settings, cache, log } = deps;
  try {
    const network = await import('../../network/index.js');
    const shared = await network.shareWork({
      source: settings.source,
      home: settings.home,
      cache,
      log,
      projectRoot: findGitRoot(cwd) ?? cwd,
      records,
      comments: settings.hooks.workComments,
      comment: workComment,
      deadline: deadlineAt(
        Math.min((deps.startedAt ?? Date.now()) + SHARE_UNTIL_MS, Date.now() + settings.source.timeoutMs),
      ),
    });
    for (const f of shared.failed)
      log.warn(
        { task: f.taskId, error: f.error },
        'work record not sent to the task source: its next session is not told of this one',
      );
    return shared.kept + shared.commented;
  } catch (err) {
    log.warn({ err }, 'work records not sent to the task source');
    return 0;
  }
}
