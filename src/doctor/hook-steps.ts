// doctor's steps on Claude Code's hooks: installed in a settings file Claude Code reads, the route a tool call takes,
// and registered once.
import { anyGuard } from '../config/settings.js';
import type { AgentInstallation } from './agent-hooks.js';
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
    return [...new Set(Object.values(found.found)), ...elsewhere].join(', ');
  });
}

/** How a tool call reaches taskhooks in this project, and who answers it (`tool-route.ts`). */
export async function toolCallStep({ args, steps }: DoctorRun, projectRoot: string): Promise<void> {
  await step(steps, 'tool-call hooks', 'the settings', () =>
    toolCallRoute(projectRoot, {
      home: args.loaded.settings.home,
      homeDir: args.homeDir,
      guarded: anyGuard(args.loaded.settings.hooks.guards),
    }),
  );
}

/** Whether taskhooks' hooks are registered in one place: settings files, or a settings file and the plugin. */
export async function registeredOnceStep({ args, steps }: DoctorRun, projectRoot: string): Promise<void> {
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
}
