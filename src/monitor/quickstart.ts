// `npm start` / `taskhooks start`: the monitor in the foreground with an example to look at, and the context a
// Claude Code session in this directory would receive.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerProject } from '../cache/registered-projects.js';
import type { Settings } from '../config/settings.js';
import { runSessionStart } from '../hooks/index.js';
import type { Logger } from '../log/logger.js';
import { openTaskDb } from '../store/index.js';
import { locateScope, type Scope } from '../tasks/scope.js';
import type { Cache } from '../cache/cache.js';
import { homeFiles } from '../home/files.js';
import { wakeMonitor } from '../home/signals.js';

const EXAMPLE_PREFIX = '[example]';

/**
 * On an empty embedded tasks.db only (the very first start): a few tasks titled "[example] …" in this project,
 * so the first context shown is not empty. Returns how many were created.
 */
export function seedExampleProject(home: string, scope: Scope, log: Logger): number {
  const db = openTaskDb(homeFiles(home).tasks, { home, log });
  try {
    if (db.listProjects().length > 0) return 0;
    const project = db.ensureProject(scope.project);
    const branch = scope.branch ? db.ensureBranch(project.id, scope.branch).id : null;
    const tasks = db.createTasks(
      [
        {
          title: `${EXAMPLE_PREFIX} Read how taskhooks feeds tasks into Claude Code (README)`,
          status: 'in_progress' as const,
          priority: 'high' as const,
        },
        {
          title: `${EXAMPLE_PREFIX} List the tasks: taskhooks tasks list`,
          status: 'todo' as const,
          priority: 'medium' as const,
        },
        {
          title: `${EXAMPLE_PREFIX} Delete these example tasks once you have your own`,
          status: 'todo' as const,
          priority: 'low' as const,
        },
      ].map((t, i) => ({
        ...t,
        // Ids of their own: the user's first task is still TASK-001, so no example is started by its id.
        id: `EXAMPLE-${String(i + 1).padStart(3, '0')}`,
        projectId: project.id,
        gitBranchId: branch,
        labels: ['example'],
        description: 'Created by `taskhooks start` as an example; safe to delete.',
      })),
    );
    log.info({ project: scope.project, tasks: tasks.length }, 'example project created in the built-in store');
    return tasks.length;
  } finally {
    db.close();
  }
}

/**
 * A state directory of its own for a start beside a monitor that already serves the person's home: the examples,
 * the registration and the cache go there, never into a store someone uses. `remove` takes it away when it stops.
 */
export function scratchHome(): { home: string; remove(): void } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-start-'));
  return { home, remove: () => rmSync(home, { recursive: true, force: true }) };
}

/** seedExampleProject for the project at `cwd`. */
export function seedExamplesHere(opts: { settings: Settings; cwd: string; log: Logger }): number {
  return seedExampleProject(opts.settings.home, locateScope(opts.settings.project, opts.cwd).scope, opts.log);
}

/**
 * Registers `cwd` with the monitor in this process and returns what SessionStart would inject there (a preview: nothing is marked shown).
 */
export async function previewSessionContext(
  m: { cache: Cache; log: Logger },
  settings: Settings,
  cwd: string,
): Promise<{ scope: Scope; context: string | undefined }> {
  const { scope } = locateScope(settings.project, cwd);
  if (
    registerProject(m.cache, {
      root: scope.projectRoot,
      name: scope.project,
      sourceKey: settings.source.key,
      registeredBy: 'start',
    })
  ) {
    wakeMonitor(settings.home, m.log, 'new project');
  }
  const input = {
    session_id: `taskhooks-start-${process.pid}`,
    cwd,
    hook_event_name: 'SessionStart',
    source: 'startup',
  };
  const out = await runSessionStart(input, {
    settings,
    cache: m.cache,
    log: m.log,
    allowNetwork: true,
    ensureMonitor: false,
    dryRun: true,
  });
  return { scope, context: out?.hookSpecificOutput.additionalContext };
}
