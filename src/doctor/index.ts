// `taskhooks doctor`: each step from config to a real pending-task query, timed, with the fix for a failure. Each
// family of steps is a module of its own (config, git, cache, task store, source, monitor, hooks, agents); this one
// runs them in order.
import { existsSync } from 'node:fs';
import { homeFiles } from '../home/files.js';
import { locateScope } from '../tasks/scope.js';
import { agentInstallations } from './agent-hooks.js';
import { cacheStep } from './cache-step.js';
import { configSteps, secretSteps } from './config-steps.js';
import { gitStep } from './git-step.js';
import { hooksRunSteps } from './hooks-run.js';
import { taskToolsSteps } from './task-tools.js';
import { monitorStep } from './monitor-step.js';
import { sourceSteps } from './source-steps.js';
import { step, type DoctorArgs, type DoctorRun, type DoctorStep } from './step.js';
import { describeTaskStore } from './task-store.js';

export async function runDoctor(args: DoctorArgs): Promise<DoctorStep[]> {
  const { settings } = args.loaded;
  const { home } = settings;
  const { scope, gitRoot } = locateScope(settings.project, args.cwd);
  const run: DoctorRun = { args, steps: [], scope, gitRoot };
  await configSteps(run);
  await gitStep(run);
  await secretSteps(run);
  const cache = await cacheStep(run);
  if (!cache) {
    run.steps.push({
      name: 'task source',
      ok: false,
      ms: 0,
      detail: 'skipped: no usable cache',
      fix: `make ${home} writable or set TASKHOOKS_HOME`,
    });
    return finish(run);
  }
  if (settings.source.plan.kind === 'embedded' || existsSync(homeFiles(home).tasks)) {
    await step(run.steps, 'task store', 'the task store', () => describeTaskStore(home, args.log));
  }
  await sourceSteps(run, cache);
  cache.close();
  return finish(run);
}

/** What runs whether or not a source could be tried: the monitor, then each agent's hooks and task tools. */
async function finish(run: DoctorRun): Promise<DoctorStep[]> {
  const { projectRoot } = run.scope;
  await monitorStep(run);
  const agents = agentInstallations(projectRoot, run.args.env);
  await hooksRunSteps(run, projectRoot, agents);
  await taskToolsSteps(run, projectRoot, agents);
  return run.steps;
}
