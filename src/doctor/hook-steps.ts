// doctor's steps on the hooks: installed (every agent's, each named), Claude Code's route for a tool call, and each
// agent's hooks registered once.
import { anyGuard } from '../config/settings.js';
import type { AgentInstallation } from './agent-hooks.js';
import { readJsonDoc } from '../install/json-doc.js';
import type { Logger } from '../log/logger.js';
import { findHookInstallation } from './hooks-installed.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';
import { toolCallRoute } from './tool-route.js';

/** Whether a settings file runs taskhooks' hooks; the other agents' installations count, named. */
export async function hooksInstalledStep(
  { args, steps }: DoctorRun,
  projectRoot: string,
  agents: readonly AgentInstallation[],
): Promise<void> {
  await step(steps, 'hooks installed', 'the settings', () => {
    const found = findHookInstallation(projectRoot, args.homeDir);
    if (found.notOwn.length > 0)
      throw new StepFailure(
        `${found.notOwn.join('; ')}: not the command taskhooks install writes for this taskhooks`,
        "remove any hook of your own that names taskhooks' scripts, then run `taskhooks install` in this project",
      );
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
    return [...[...new Set(Object.values(found.found))].map((f) => `${f} (Claude Code)`), ...elsewhere].join(', ');
  });
}

/** How a tool call reaches taskhooks in this project, and who answers it (`tool-route.ts`). */
export async function toolCallStep({ args, steps }: DoctorRun, projectRoot: string): Promise<void> {
  await step(steps, 'Claude Code tool-call hooks', 'the settings', () =>
    toolCallRoute(projectRoot, {
      home: args.loaded.settings.home,
      homeDir: args.homeDir,
      guarded: anyGuard(args.loaded.settings.hooks.guards),
    }),
  );
}

/** Whether taskhooks' hooks are registered in one place: settings files, or a settings file and the plugin. */
export async function registeredOnceStep({ args, steps }: DoctorRun, projectRoot: string): Promise<void> {
  await step(steps, 'Claude Code hooks registered once', 'the settings', () => {
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
}

/**
 * The same for each other agent whose configuration holds taskhooks' wiring: one file (its project or its user
 * scope), naming taskhooks' SessionStart (or OpenCode's plugin) once; in two, every hook of the agent runs twice.
 */
export async function agentsRegisteredOnceSteps(
  { args, steps }: DoctorRun,
  agents: readonly AgentInstallation[],
): Promise<void> {
  for (const agent of new Set(agents.map((a) => a.agent))) {
    const mine = agents.filter((a) => a.agent === agent);
    const what = agent.id === 'opencode' ? 'plugin' : 'hooks';
    await step(steps, `${agent.label} ${what} registered once`, `${agent.label}'s configuration`, () => {
      const places = mine.flatMap((a) => Array.from({ length: registrationsIn(a.file, agent.id, args.log) }, () => a));
      if (places.length <= 1) return `once, in ${mine[0]?.file ?? 'none'}`;
      const files = [...new Set(places.map((a) => `${a.file} (${a.scope})`))];
      throw new StepFailure(
        `taskhooks' ${what} for ${agent.label} are registered ${places.length} times: ${files.join('; ')}; every hook runs once per registration`,
        mine.length > 1
          ? `keep one: \`taskhooks uninstall --agent ${agent.id} --scope ${mine[1]?.scope}\` removes the one in ${mine[1]?.file}`
          : `keep one: \`taskhooks uninstall --agent ${agent.id}\`, then \`taskhooks install --agent ${agent.id}\` writes it once`,
      );
    });
  }
}

/** How many times a file names taskhooks' SessionStart entry (OpenCode: its plugin); 1 for one it cannot read. */
function registrationsIn(file: string, agentId: string, log: Logger): number {
  const needle = agentId === 'opencode' ? 'dist/opencode-plugin.js' : 'dist/hooks/session-start.js';
  try {
    return JSON.stringify(readJsonDoc(file).value).replace(/\\\\/g, '/').split(needle).length - 1;
  } catch (err) {
    // agentInstallations read it a moment ago: a file gone unreadable since counts as the one it was.
    log.warn({ err, file }, 'could not read an agent configuration again to count its registrations');
    return 1;
  }
}
