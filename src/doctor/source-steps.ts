// doctor's steps on the task source, tried for real: the credentials, the server reached, the adapter's tools offered,
// a pending-task query, pushed changes, then the source's own steps.
import type { Cache } from '../cache/cache.js';
import { resolveAuth } from '../auth/index.js';
import { describeError } from '../errors/task-source.js';
import { SESSION_TOOL_NAMES } from '../server/tools/tool-families.js';
import { ADAPTERS } from '../sources/adapters.js';
import { openSource } from '../sources/open.js';
import { sourceName } from '../sources/plan.js';
import type { TaskSource } from '../sources/source.js';
import { deadlineIn, type Deadline } from '../util/deadline.js';
import { monitorAnswer, silentMonitorFailure } from './monitor-step.js';
import { checkPush } from './push.js';
import { fixFor, step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';

/** The credentials, then the source for real: its server, its tools, a pending-task query and its own steps. */
export async function sourceSteps(run: DoctorRun, cache: Cache): Promise<void> {
  const { args, steps, scope } = run;
  const { log } = args;
  const { home, source: sourceSettings } = args.loaded.settings;
  const { plan } = sourceSettings;
  // Doctor always tries for real: an open breaker gets its trial call, and no retries hide a failure.
  const policy = { retries: 0, breakerCooldownMs: 0 };
  // Each step gets the time a hook's call would have.
  const deadline = (): Deadline => deadlineIn(sourceSettings.timeoutMs);
  await step(steps, 'auth', 'the credentials', async () => {
    if (plan.kind !== 'remote')
      return plan.kind === 'embedded'
        ? 'not needed (the built-in store)'
        : `not needed (local ${plan.kind === 'cli' ? 'program' : 'stdio server'})`;
    const auth = resolveAuth(sourceSettings.auth, { cache, log, url: plan.servers[0] as string, env: args.env });
    await auth.prepare(deadline());
    return auth.describe;
  });

  // The built-in store is reached through the monitor while one holds the lock: one that does not answer is the cause.
  if (plan.kind === 'embedded') {
    const probe = await monitorAnswer(run);
    if (probe.kind === 'silent') {
      await step(steps, 'reachability', 'the monitor', () => {
        throw silentMonitorFailure(probe, 'the built-in store is served by the monitor, but ');
      });
      return;
    }
  }
  const openArgs = { source: sourceSettings, home, cache, log, projectRoot: scope.projectRoot, policy, env: args.env };
  let src: TaskSource;
  try {
    src = openSource(openArgs);
  } catch (err) {
    steps.push({
      name: 'task source',
      ok: false,
      ms: 0,
      detail: describeError(err),
      fix: fixFor(err, 'the source configuration'),
    });
    return;
  }
  let tools: string[] = [];
  const reachable = await step(steps, 'reachability', 'the server', async () => {
    tools = await src.listTools({ deadline: deadline() });
    return `${src.server()} answered initialize and tools/list (${tools.length} tools)`;
  });
  if (reachable) await reachableSteps(run, src, tools, { openArgs, cache, deadline });
  await src.close();
}

/** A reachable server: the adapter's tools offered, a real pending-task query, pushed changes, the source's own steps. */
async function reachableSteps(
  run: DoctorRun,
  src: TaskSource,
  tools: readonly string[],
  o: { openArgs: Parameters<typeof openSource>[0]; cache: Cache; deadline: () => Deadline },
): Promise<void> {
  const { args, steps, scope } = run;
  const { openArgs, cache, deadline } = o;
  const { home, source: sourceSettings } = args.loaded.settings;
  const { plan } = sourceSettings;
  await step(steps, 'adapter tools', 'the server', () => {
    const missing = src.requiredTools.filter((t) => !tools.includes(t));
    if (missing.length > 0) {
      throw new StepFailure(
        `the ${src.adapter} adapter needs ${missing.join(', ')}, which the server does not offer`,
        'set TASKHOOKS_ADAPTER (source.adapter) to the tool family this server speaks',
      );
    }
    // The built-in store's own reader's tools are no name a person or a model meets: name the ones sessions see.
    if (plan.kind === 'embedded')
      return `all that taskhooks reads tasks with, among the built-in store's ${tools.length} tools; sessions see ${SESSION_TOOL_NAMES.join(', ')}`;
    return `all that taskhooks reads and changes tasks with (${src.requiredTools.join(', ')}), among the ${src.adapter} server's ${tools.length} tools`;
  });
  await step(steps, 'pending tasks', 'the server', async () => {
    const result = await src.pending(scope, { deadline: deadline() });
    return `${result.tasks.length} pending for ${scope.project}${scope.branch ? `@${scope.branch}` : ''}${result.note ? ` (${result.note})` : ''}`;
  });
  if (plan.kind === 'remote')
    await step(steps, 'pushed changes', 'the server', async () => {
      const { detail, fix } = await checkPush({
        source: sourceSettings,
        home,
        cache,
        log: args.log,
        env: args.env,
        project: scope.project,
        deadline: deadline(),
      });
      if (fix !== undefined) throw new StepFailure(detail, fix);
      return detail;
    });
  // The source's own steps (its token and where it came from, the viewer, the rate limit left…).
  const own =
    ADAPTERS[sourceName(plan)].doctorSteps?.(src, {
      ...openArgs,
      plan,
      env: args.env,
      projectRoot: scope.projectRoot,
    }) ?? [];
  for (const check of own) await step(steps, check.name, 'the task source', () => check.run(deadline()));
}
