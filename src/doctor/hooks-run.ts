// doctor's one question per agent, one row each: will this agent's hooks run here? The row names the file that holds
// them, checks its entries are taskhooks' own and current and registered once, says how a call reaches taskhooks (the
// monitor answering, or a node process per call), and asks whether the agent lets them run. Whether an entry is
// taskhooks' is install's call (isTaskhooksHandler, own-wiring.ts): commands are never parsed here.
import { anyGuard } from '../config/settings.js';
import { readMonitorInfo } from '../home/monitor-info.js';
import { readJsonDoc } from '../files/json-doc.js';
import { handedToSocket, notOwnFix, ownWiringJudge } from '../install/own-wiring.js';
import { handlersOf, isTaskhooksHandler } from '../install/writing/settings.js';
import type { Logger } from '../log/logger.js';
import { isJsonObject } from '../util/object.js';
import { packageRoot } from '../util/package.js';
import { findOnPath } from '../util/executable.js';
import { notOwnWiring, type AgentInstallation } from './agent-hooks.js';
import { findHookInstallation, ownCommands, type HookInstallation } from './hooks-installed.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';
import { toolCallRoute } from './tool-route.js';

/** One row for Claude Code, then one for each other agent whose configuration holds taskhooks' wiring. */
export async function hooksRunSteps(
  run: DoctorRun,
  projectRoot: string,
  agents: readonly AgentInstallation[],
): Promise<void> {
  await step(run.steps, 'Claude Code hooks', 'the settings', () => claudeHooks(run, projectRoot, agents.length > 0));
  for (const agent of new Set(agents.map((a) => a.agent))) {
    const mine = agents.filter((a) => a.agent === agent);
    await step(run.steps, `${agent.label} hooks`, `${agent.label}'s configuration`, () =>
      agentHooks(run, projectRoot, mine),
    );
  }
}

function claudeHooks({ args }: DoctorRun, projectRoot: string, othersHaveTheirs: boolean): string {
  const found = findHookInstallation(projectRoot, args.homeDir);
  if (found.goneNodes.length > 0)
    throw new StepFailure(
      `the hooks name a Node that is gone (${found.goneNodes.join('; ')}): a hook that runs it fails (status 127)`,
      'run `taskhooks install` in this project again: it names a Node that a Node upgrade keeps',
    );
  if (found.notOwn.length > 0)
    throw new StepFailure(
      `${found.notOwn.join('; ')}: not the command taskhooks install writes for this taskhooks`,
      "remove any hook of your own that names taskhooks' scripts, then run `taskhooks install` in this project",
    );
  if (found.missing.length > 0 && !found.plugin) {
    if (othersHaveTheirs) return 'none installed (`taskhooks install` adds them)';
    throw missingHooks(found);
  }
  const where = found.registrations.length > 0 ? found.registrations.join(', ') : `the taskhooks plugin`;
  claudeRegisteredOnce(found);
  const route = toolCallRoute(projectRoot, {
    home: args.loaded.settings.home,
    homeDir: args.homeDir,
    guarded: anyGuard(args.loaded.settings.hooks.guards),
  });
  const files = found.searched.map((file) => readJsonOrNothing(file, args.log));
  const start = socketRoute(files.flatMap(ownCommands), args.loaded.settings.home, args.env);
  return [
    `${where}: taskhooks' own, registered once`,
    `tool calls: ${route}`,
    ...(start ? [`session start: ${start}`] : []),
  ].join('\n');
}

function missingHooks(found: HookInstallation): StepFailure {
  const unreadable = found.unreadable.length > 0 ? `\ncannot read ${found.unreadable.join('\ncannot read ')}` : '';
  const fix =
    found.unreadable.length > 0
      ? 'fix the settings file named above, then run `taskhooks install` in this project'
      : 'run `taskhooks install` in this project';
  return new StepFailure(
    `no hook runs taskhooks' ${found.missing.join(' and ')} (looked in ${found.searched.join(', ')})${unreadable}`,
    fix,
  );
}

/** Settings files and the plugin both registering taskhooks' hooks: every hook then starts once per registration. */
function claudeRegisteredOnce(found: HookInstallation): void {
  const places = [
    ...found.registrations,
    ...(found.plugin ? [`the taskhooks plugin (enabled in ${found.plugin})`] : []),
  ];
  if (places.length <= 1) return;
  throw new StepFailure(
    `taskhooks' hooks are registered ${places.length} times: ${places.join('; ')}; every hook runs once per registration`,
    found.plugin
      ? 'keep one: `taskhooks uninstall` removes the hooks install wrote, or `claude plugin uninstall taskhooks` removes the plugin'
      : 'keep one: `taskhooks uninstall --scope <project|local|user>` removes the hooks from the other scopes',
  );
}

async function agentHooks(
  { args }: DoctorRun,
  projectRoot: string,
  mine: readonly AgentInstallation[],
): Promise<string | { unknown: string }> {
  const root = packageRoot();
  const [first] = mine;
  if (!first) return 'none installed';
  const { agent } = first;
  for (const a of mine) {
    const notOwn = notOwnWiring(a, root);
    if (notOwn)
      throw new StepFailure(
        `${notOwn.detail}: not what taskhooks install writes for this taskhooks`,
        notOwnFix(notOwn, agent.id, 'that file'),
      );
  }
  agentRegisteredOnce(mine, args.log);
  const commands = mine.flatMap((a) => ownCommands(readJsonOrNothing(a.file, args.log)));
  const route = agent.plugin
    ? ''
    : `\nhooks: ${socketRoute(commands, args.loaded.settings.home, args.env) ?? 'a node process per call'}`;
  const where = `${mine.map((a) => `${a.file} (${a.scope})`).join(', ')}: taskhooks' own, registered once${route}`;
  // Only a plugin's answer depends on the file (OpenCode's entry there); the others answer for the folder.
  const answers: string[] = [];
  const judge = ownWiringJudge(root);
  for (const a of agent.plugin ? mine : [first]) {
    const answer = await agent.approval({ projectRoot, env: args.env, file: a.file, judge });
    if ('unknown' in answer) return { unknown: `${where}\n${answer.unknown}` };
    if (!answer.approved)
      throw new StepFailure(
        answer.detail,
        agent.approvalLine({ dir: projectRoot, scope: a.scope, file: a.file }, true) ??
          `run \`taskhooks install --agent ${agent.id}\` again from the taskhooks you use`,
      );
    answers.push(answer.detail);
  }
  return [where, ...answers].join('\n');
}

/** An agent's SessionStart (OpenCode: its plugin) registered in one file, once; in two, every hook runs twice. */
function agentRegisteredOnce(mine: readonly AgentInstallation[], log: Logger): void {
  const [first] = mine;
  if (!first) return;
  const { agent } = first;
  const what = agent.plugin ? 'plugin' : 'hooks';
  const counts = mine.map((a) => registrationsIn(a, log));
  const times = counts.reduce((sum, n) => sum + n, 0);
  if (times <= 1) return;
  const files = mine.filter((_, i) => (counts[i] ?? 0) > 0).map((a) => `${a.file} (${a.scope})`);
  throw new StepFailure(
    `taskhooks' ${what} for ${agent.label} are registered ${times} times: ${files.join('; ')}; every hook runs once per registration`,
    mine.length > 1
      ? `keep one: \`taskhooks uninstall --agent ${agent.id} --scope ${mine[1]?.scope}\` removes the one in ${mine[1]?.file}`
      : `keep one: \`taskhooks uninstall --agent ${agent.id}\`, then \`taskhooks install --agent ${agent.id}\` writes it once`,
  );
}

/**
 * How many of taskhooks' SessionStart groups a file holds (OpenCode: its plugin entries), the event named by the
 * agent's own bindings; 1 for a file it cannot read again.
 */
function registrationsIn(a: AgentInstallation, log: Logger): number {
  let value: Record<string, unknown>;
  try {
    value = readJsonDoc(a.file).value;
  } catch (err) {
    // agentInstallations read it a moment ago: a file gone unreadable since counts as the one it was.
    log.warn({ err, file: a.file }, 'could not read an agent configuration again to count its registrations');
    return 1;
  }
  if (a.agent.plugin) return a.agent.plugin.count(value);
  const event = a.agent.bindings.find((b) => b.hooks.includes('session-start'))?.event;
  const groups = isJsonObject(value.hooks) && event ? value.hooks[event] : undefined;
  return Array.isArray(groups) ? groups.filter((g) => handlersOf(g).some(isTaskhooksHandler)).length : 0;
}

/** A configuration file's value, or nothing when it is absent or unreadable (the other checks name why). */
function readJsonOrNothing(file: string, log: Logger): unknown {
  try {
    return readJsonDoc(file).value;
  } catch (err) {
    log.debug({ err, file }, 'doctor: no configuration to read hook commands from');
    return undefined;
  }
}

/**
 * Where commands that hand their input to the monitor's socket go: answered there while the monitor listens on it,
 * else each falls back to the node hook (a hundred ms more, nothing lost). Undefined when no command does.
 */
function socketRoute(commands: readonly string[], home: string, env: NodeJS.ProcessEnv): string | undefined {
  const root = packageRoot();
  const sockets = [...new Set(commands.flatMap((c) => handedToSocket(c, root) ?? []))];
  if (sockets.length === 0) return undefined;
  // Without perl the socket client cannot start, and every call is a node process even with the monitor up.
  if (!findOnPath('perl', env))
    return `handed to the monitor over ${sockets.join(', ')} by perl, which is not on PATH: each call is a node process (install perl)`;
  const info = readMonitorInfo(home);
  const answering = sockets.filter((s) => info?.hookSocket === s);
  if (info && answering.length === sockets.length)
    return `handed to the monitor over ${sockets.join(', ')} (pid ${info.pid}, answering)`;
  return `handed to the monitor over ${sockets.join(', ')}, where none answers now: each call falls back to a node process (\`taskhooks monitor start\`)`;
}
