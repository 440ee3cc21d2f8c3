// Install's word to the monitor: the project registered under its name and source, and the monitor woken for a new one
// so it watches it at once instead of at its next cycle.
import { registerProject } from '../../cache/registered-projects.js';
import { withCache } from '../../cache/cache.js';
import { loadSettings } from '../../config/settings.js';
import { wakeMonitor } from '../../home/signals.js';
import type { Logger } from '../../log/logger.js';
import { resolveScope } from '../../tasks/scope.js';

/** Registers the installed project `dir` with the settings it now has; wakes the monitor when it is new. */
export async function registerInstalled(
  o: { dir: string; home: string; env: NodeJS.ProcessEnv },
  log: Logger,
): Promise<void> {
  const { dir, home } = o;
  const { settings: registered } = await loadSettings({ cwd: dir, env: o.env });
  const isNew = withCache({ home, log }, (cache) =>
    registerProject(cache, {
      root: dir,
      name: resolveScope(registered.project, dir, '').project,
      sourceKey: registered.source.key,
      registeredBy: 'install',
    }),
  );
  if (isNew) wakeMonitor(home, log, 'new project');
}
