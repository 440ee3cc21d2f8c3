// What a woken monitor fetches: every snapshot a write marked stale or a tool's answer patched, for a project
// registered here under that name and source. The row names the branch; the registered project lends its settings
// (credentials, deadlines).
import { listProjects } from '../../cache/registered-projects.js';
import { listSnapshotsDue } from '../../cache/snapshots.js';
import { loadSettings } from '../../config/settings.js';
import { runFetches, type Fetch, type RefreshDeps } from './refresh.js';

export interface StaleReport {
  /** Snapshots due (stale or patched) when the pass began. */
  stale: number;
  fetches: number;
  failures: number;
  alerts: number;
  /** Wall time of the pass. */
  ms: number;
}

/**
 * Fetches every stale snapshot of a registered project again, through the same refreshTasks as a cycle. A snapshot of
 * a project nobody registered here (or whose registered root now resolves to another source) keeps its mark: the
 * next hook there fetches live.
 */
export async function refreshStaleSnapshots(deps: RefreshDeps): Promise<StaleReport> {
  const started = performance.now();
  const stale = listSnapshotsDue(deps.cache);
  if (stale.length === 0) return { stale: 0, fetches: 0, failures: 0, alerts: 0, ms: 0 };
  const projects = listProjects(deps.cache);
  const fetches: Fetch[] = [];
  for (const s of stale) {
    const registered = projects.filter((p) => p.name === s.project && p.sourceKey === s.sourceKey);
    const [first] = registered;
    if (!first) continue;
    const { settings } = await loadSettings({ cwd: first.root, env: deps.env });
    if (settings.source.key !== s.sourceKey) {
      deps.log.info(
        { project: s.project, root: first.root, was: s.sourceKey, now: settings.source.key },
        'stale snapshot left alone: its project now uses another source',
      );
      continue;
    }
    fetches.push({
      settings,
      scope: { projectRoot: first.root, project: s.project, branch: s.branch },
      projects: registered,
    });
  }
  const result = fetches.length > 0 ? await runFetches(deps, fetches) : { failures: 0, alerts: 0 };
  const report = {
    stale: stale.length,
    fetches: fetches.length,
    ...result,
    ms: Math.round(performance.now() - started),
  };
  deps.log.info(report, 'stale snapshots refreshed');
  return report;
}
