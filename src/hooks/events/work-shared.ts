// A session's work records where its tasks live elsewhere (./work-record.ts writes the built-in store's): sent to a
// team's server, which keeps them for a teammate's next session, or written back to a tracker as a comment when
// `hooks.workComments` says so. Loaded with ./work-record.ts; the network stack only where something is to be sent.
import { findGitRoot } from '../../git/repo.js';
import { sharesWork } from '../../sources/work-sharing.js';
import { deadlineIn } from '../../util/deadline.js';
import type { HookInput } from '../input/fields.js';
import type { HookDeps } from '../types.js';
import { sessionPart, type WorkBasis } from './work-record.js';

/** What sending may take: SessionEnd's watchdog (3 s) leaves this much after the git read, for one connection. */
const SHARE_MS = 2000;

/** Sends the session's record of each task it held; returns how many were kept or commented. Failures are logged. */
export async function shareWork(input: HookInput, deps: HookDeps, basis: WorkBasis, at: number): Promise<number> {
  const { settings, cache, log } = deps;
  const comments = settings.hooks.workComments;
  if (!sharesWork(settings.source.plan, comments)) return 0;
  const part = await sessionPart(input, deps, basis, at);
  const { session } = basis;
  // The status at its end is the server's to say (a team's server fills it in; a tracker's issue is read).
  const records = basis.taskIds.map((taskId) => ({ ...part, projectId: session.project, taskId, statusTo: null }));
  try {
    const network = await import('../../network/index.js');
    const shared = await network.shareWork({
      source: settings.source,
      home: settings.home,
      cache,
      log,
      projectRoot: findGitRoot(session.cwd) ?? session.cwd,
      records,
      comments,
      deadline: deadlineIn(Math.min(SHARE_MS, settings.source.timeoutMs)),
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
