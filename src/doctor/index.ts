// `taskhooks doctor`: each step from config to a real pending-task query, timed, with the fix for a failure.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { kvDelete, kvGet, kvSet } from '../cache/kv.js';
import { openCache, type Cache } from '../cache/cache.js';
import type { LoadedSettings } from '../config/settings.js';
import { describeOrigin } from '../config/origin.js';
import { tokenScope } from '../config/display.js';
import { holdsSecret } from '../config/env.js';
import { shellQuote } from '../install/paths.js';
import type { Logger } from '../log/logger.js';
import { scrubString } from '../log/redact.js';
import { resolveAuth } from '../auth/index.js';
import { DamagedStoreError } from '../errors/store.js';
import { describeError, isTaskSourceError } from '../errors/task-source.js';
import { describeSource } from '../sources/describe.js';
import { ADAPTERS } from '../sources/adapters.js';
import { openSource } from '../sources/open.js';
import { sourceName } from '../sources/plan.js';
import type { TaskSource } from '../sources/source.js';
import { locateScope, type Scope } from '../tasks/scope.js';
import { simpleGitRunner } from '../git/simple.js';
import { gitRefusal } from '../git/repo.js';
import { stateDirProblem } from '../home/unwritable.js';
import { collectGitState } from '../git/state.js';
import { readLiveOwner } from '../home/lock.js';
import { readMonitorInfo } from '../home/monitor-info.js';
import { homeFiles } from '../home/files.js';
import { findHookInstallation } from './hooks-installed.js';
import { toolCallRoute } from './tool-route.js';
import { StepFailure } from './step-failure.js';
import { agentInstallations } from './agent-hooks.js';
import { agentChecks } from './agent-checks.js';
import { describeTaskStore } from './task-store.js';
import { checkPush } from './push.js';
import { deadlineIn, type Deadline } from '../util/deadline.js';
import { CONFIG_MAX_BYTES, readTextCapped } from '../util/safe-read.js';

export interface DoctorStep {
  name: string;
  ok: boolean;
  unknown?: true; // it could not tell (an agent not on the PATH to ask): no failure, and no ✓ either
  ms: number;
  detail: string;
  fix?: string;
}

/** What to do about a failure: the error's own fix when it knows one. */
function fixFor(err: unknown, what: string): string {
  if (err instanceof StepFailure) return err.fix;
  if (isTaskSourceError(err) || err instanceof DamagedStoreError) return err.fix;
  return `see ${what}; run with TASKHOOKS_LOG_LEVEL=debug and read $TASKHOOKS_HOME/logs/cli.log`;
}

async function step(
  steps: DoctorStep[],
  name: string,
  what: string,
  fn: () => Promise<string | { unknown: string }> | string | { unknown: string },
): Promise<boolean> {
  const started = performance.now();
  try {
    const answer = await fn();
    const [detail, unknown] = typeof answer === 'string' ? [answer, {}] : [answer.unknown, { unknown: true as const }];
    const ms = Math.round(performance.now() - started);
    // A detail may quote a URL or a file a secret sits in (an origin with credentials): shown scrubbed.
    steps.push({ name, ok: true, ...unknown, ms, detail: scrubString(detail) });
    return true;
  } catch (err) {
    steps.push({
      name,
      ok: false,
      ms: Math.round(performance.now() - started),
      detail: scrubString(describeError(err)),
      fix: scrubString(fixFor(err, what)),
    });
    return false;
  }
}

export interface DoctorArgs {
  loaded: LoadedSettings;
  log: Logger;
  cwd: string;
  env: NodeJS.ProcessEnv;
  homeDir?: string;
}

/** What every step of one `doctor` run shares. */
interface Run {
  args: DoctorArgs;
  steps: DoctorStep[];
  scope: Scope;
  gitRoot: string | undefined;
}

/** The config, the project's files, git and the config files' modes: what holds before any source is tried. */
async function settingsSteps(run: Run): Promise<void> {
  const { args, steps } = run;
  const { log } = args;
  const { settings, loaded } = args.loaded;
  await step(steps, 'config', 'the config files', () => {
    if (loaded.problems.length > 0)
      throw new StepFailure(
        loaded.problems.map((p) => p.message).join('\n'),
        'fix each line above; `taskhooks config` shows the effective values',
      );
    const origin = loaded.origins.get('source.servers') ?? loaded.origins.get('source.adapter');
    return `${describeSource(settings.source.plan, settings.home, log)}${origin ? ` — from ${describeOrigin(origin)}` : ''}`;
  });

  await step(steps, 'project files', 'the project files', () => {
    if (settings.trustNote)
      throw new StepFailure(
        settings.trustNote,
        'review them with `taskhooks trust` in this project: it shows what they do, then trusts them',
      );
    const files = [loaded.project, loaded.mcpJson].filter((f) => f !== undefined);
    if (files.length === 0) return 'none in this project';
    return files
      .map((f) => `${f.file} (${f.trusted ? 'trusted' : 'not trusted; sets nothing that needs trust'})`)
      .join(', ');
  });

  await gitStep(run);

  // Who each of `serve`'s configured tokens stands for and which projects it reaches; never the token.
  if (settings.server.tokens.length > 0) {
    await step(steps, 'server tokens', 'server.tokens in the config', () =>
      settings.server.tokens.map((t) => tokenScope(t)).join('; '),
    );
  }

  const exposed = exposedSecretFiles([loaded.userFile, loaded.projectFile, loaded.mcpJson?.file]);
  if (exposed.length > 0) {
    await step(steps, 'secret files', 'the config files', () => {
      throw new StepFailure(
        `${exposed.map((e) => `${e.file} (mode ${e.mode.toString(8)})`).join(', ')} ${exposed.length === 1 ? 'holds a secret and is' : 'hold secrets and are'} readable by other users`,
        `chmod 600 ${exposed.map((e) => shellQuote(e.file)).join(' ')}`,
      );
    });
  }
}

/** What SessionStart tells about the repository, read with the same protections (through simple-git here). */
async function gitStep({ args, steps, gitRoot }: Run): Promise<void> {
  const { log } = args;
  await step(steps, 'git', 'the repository', async () => {
    // Every git file is checked before git runs: a ref linked to /dev/zero or a FIFO is named here, not waited on.
    const refused = gitRefusal(args.cwd);
    if (refused !== undefined)
      throw new StepFailure(
        refused,
        'remove or replace the file named: a ref holds one commit id (`git update-ref` writes it again), and .git must be a folder or a `gitdir:` file',
      );
    if (!gitRoot) return 'not a git repository: sessions here are told no git state';
    const state = await collectGitState(gitRoot, log, simpleGitRunner);
    if (!state)
      throw new StepFailure(
        `git could not read ${gitRoot}`,
        `run \`git status\` in ${gitRoot}; the reason is in $TASKHOOKS_HOME/logs/cli.log`,
      );
    return `${state.branch ?? 'detached HEAD'}: ${state.staged} staged, ${state.modified} modified, ${state.untracked} untracked`;
  });
}

/** The state directory and its cache, opened for the source's steps; undefined (a failed step) when unusable. */
async function cacheStep({ args, steps }: Run): Promise<Cache | undefined> {
  const { home } = args.loaded.settings;
  let cache: Cache | undefined;
  // Set once the cache took a write: a state directory others may read still serves the steps below.
  let writable = false;
  await step(steps, 'state dir and cache', 'the state directory', () => {
    const mode = statSync(home).mode & 0o777;
    try {
      accessSync(home, constants.W_OK);
      cache = openCache({ home, log: args.log });
      kvSet(cache, 'doctor:probe', Date.now());
    } catch (err) {
      const problem = stateDirProblem(err, home);
      if (problem === undefined) throw err;
      throw new StepFailure(problem.what, problem.fix);
    }
    if (kvGet(cache, 'doctor:probe') === undefined)
      throw new StepFailure('the cache did not keep a value', `remove ${cache.file} (it is recreated)`);
    kvDelete(cache, 'doctor:probe');
    writable = true;
    if (mode & 0o077)
      throw new StepFailure(`${home} is readable by others (mode ${mode.toString(8)})`, `chmod 700 ${home}`);
    return `${cache.file}`;
  });
  return writable ? cache : undefined;
}

/** The credentials, then the source for real: its server, its tools, a pending-task query and its own steps. */
async function sourceSteps(run: Run, cache: Cache): Promise<void> {
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
        ? 'not needed (embedded store)'
        : `not needed (local ${plan.kind === 'cli' ? 'program' : 'stdio server'})`;
    const auth = resolveAuth(sourceSettings.auth, { cache, log, url: plan.servers[0] as string, env: args.env });
    await auth.prepare(deadline());
    return auth.describe;
  });

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
  run: Run,
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
    return src.requiredTools.join(', ');
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

export async function runDoctor(args: DoctorArgs): Promise<DoctorStep[]> {
  const { settings } = args.loaded;
  const { home } = settings;
  const { scope, gitRoot } = locateScope(settings.project, args.cwd);
  const run: Run = { args, steps: [], scope, gitRoot };
  await settingsSteps(run);
  const cache = await cacheStep(run);
  if (!cache) {
    run.steps.push({
      name: 'task source',
      ok: false,
      ms: 0,
      detail: 'skipped: no usable cache',
      fix: `make ${home} writable or set TASKHOOKS_HOME`,
    });
    return finish(run.steps, scope.projectRoot, args);
  }
  if (settings.source.plan.kind === 'embedded' || existsSync(homeFiles(home).tasks)) {
    await step(run.steps, 'task store', 'the task store', () => describeTaskStore(home, args.log));
  }
  await sourceSteps(run, cache);
  cache.close();
  return finish(run.steps, scope.projectRoot, args);
}

/** The config files that hold a secret and that group or others may read. */
function exposedSecretFiles(files: Array<string | undefined>): Array<{ file: string; mode: number }> {
  return files.flatMap((file) => {
    if (file === undefined) return [];
    try {
      const mode = statSync(file).mode & 0o777;
      if ((mode & 0o077) === 0) return [];
      return holdsSecret(JSON.parse(readTextCapped(file, CONFIG_MAX_BYTES))) ? [{ file, mode }] : [];
    } catch {
      // Absent, unreadable or not JSON: the config step says so; nothing here for others to read either way.
      return [];
    }
  });
}

/** The monitor is optional (hooks fetch live without it); a monitor that runs without its served hooks is a failure. */
function monitorStep(home: string): string {
  const info = readMonitorInfo(home);
  if (!info) {
    const owner = readLiveOwner(home);
    return owner
      ? `starting (pid ${owner.pid})`
      : 'not running: hooks fetch at session start meanwhile (`taskhooks monitor start` starts it)';
  }
  if (info.hookPort === null) {
    throw new StepFailure(
      `running (pid ${info.pid}), but its served hooks are unavailable: ${info.hookProblem ?? 'no port bound'}`,
      'set monitor.hookPort in the user config to a free port (0 picks one), then `taskhooks monitor stop` and `taskhooks monitor start`',
    );
  }
  return `running (pid ${info.pid}), served hooks on 127.0.0.1:${info.hookPort}${info.hookProblem ? ` (${info.hookProblem})` : ''}`;
}

async function finish(steps: DoctorStep[], projectRoot: string, args: DoctorArgs): Promise<DoctorStep[]> {
  await step(steps, 'monitor', 'the monitor', () => monitorStep(args.loaded.settings.home));
  const agents = agentInstallations(projectRoot, args.env);
  await step(steps, 'hooks installed', 'the settings', () => {
    const found = findHookInstallation(projectRoot, args.homeDir);
    const elsewhere = agents.map((a) => `${a.file} (${a.agent.label})`);
    if (found.missing.length > 0 && elsewhere.length > 0)
      return `${elsewhere.join(', ')}; none for Claude Code (\`taskhooks install\` adds them)`;
    if (found.missing.length > 0) {
      const unreadable = found.unreadable.length > 0 ? `\ncannot read ${found.unreadable.join('\ncannot read ')}` : '';
      const fix =
        found.unreadable.length > 0
          ? 'fix the settings file named above, then run `taskhooks install` in this project'
          : 'run `taskhooks install` in this project';
      throw new StepFailure(
        `no hook runs taskhooks' ${found.missing.join(' and ')} (looked in ${found.searched.join(', ')})${unreadable}`,
        fix,
      );
    }
    return [...new Set(Object.values(found.found)), ...elsewhere].join(', ');
  });
  await step(steps, 'tool-call hooks', 'the settings', () =>
    toolCallRoute(projectRoot, { home: args.loaded.settings.home, homeDir: args.homeDir }),
  );
  for (const check of agentChecks(agents, projectRoot, args.env)) await step(steps, check.name, check.what, check.run);
  await step(steps, 'hooks registered once', 'the settings', () => {
    const found = findHookInstallation(projectRoot, args.homeDir);
    const places = [
      ...found.registrations,
      ...(found.plugin ? [`the taskhooks plugin (enabled in ${found.plugin})`] : []),
    ];
    if (places.length > 1) {
      // Each event is still told once (the first run takes it), but every hook starts twice: time on every tool call.
      throw new StepFailure(
        `taskhooks' hooks are registered ${places.length} times: ${places.join('; ')}; every hook runs once per registration`,
        found.plugin
          ? 'keep one: `taskhooks uninstall` removes the hooks install wrote, or `claude plugin uninstall taskhooks` removes the plugin'
          : 'keep one: `taskhooks uninstall --scope <project|local|user>` removes the hooks from the other scopes',
      );
    }
    return places.length === 1 ? `once, in ${places[0]}` : 'not registered';
  });
  return steps;
}
