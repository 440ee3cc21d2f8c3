// `taskhooks uninstall`: exactly what install added goes; a monitor left with no project is pointed out, not stopped.
import { listProjects, unregisterProject } from '../../cache/projects.js';
import { readLiveOwner } from '../../home/lock.js';
import { wakeMonitor } from '../../home/signals.js';
import { applyPlan } from '../../install/apply.js';
import { readJsonDoc } from '../../install/json-doc.js';
import { mcpJsonFile, projectConfigFile, SCOPES, type SettingsScope } from '../../install/paths.js';
import { AGENTS, type AgentAdapter } from '../../agents/index.js';
import { planUninstall } from '../../install/plan.js';
import { hasTaskhooksHooks } from '../../install/settings.js';
import { defineCommand } from '../args.js';
import { paint, printJson } from '../output.js';
import {
  agentFlag,
  parseAgent,
  appliedTable,
  confineToProject,
  keepTrust,
  parseScope,
  planFlags,
  planJson,
  printNotes,
  printPlan,
  projectDir,
  targetFlags,
} from './install-shared.js';
import { withCache } from '../../cache/cache.js';

/** Every configuration file of these agents in these scopes (the ones each agent has). */
function agentFiles(
  agents: readonly AgentAdapter[],
  scopes: readonly SettingsScope[],
  dir: string,
  env: NodeJS.ProcessEnv,
): string[] {
  const files = agents.flatMap((a) => scopes.filter((s) => a.scopes.includes(s)).map((s) => a.configFile(s, dir, env)));
  return [...new Set(files)];
}

export const uninstallCommand = defineCommand({
  name: 'uninstall',
  summary: 'Remove exactly what `taskhooks install` added',
  description:
    "Takes taskhooks' hooks out of the settings files (Claude Code's, Codex's hooks.json, Gemini CLI's settings.json) and its\n" +
    'server out of .mcp.json, leaving everything else as it was;\n' +
    'the project config (.claude/taskhooks.json) stays. The project leaves the monitor once no settings file wires it.',
  flags: {
    ...targetFlags('uninstall from'),
    scope: {
      type: 'string',
      placeholder: 'SCOPE',
      description: `only this settings file: ${SCOPES.join(', ')} (default: all of them)`,
    },
    agent: agentFlag('uninstall from (default: every one)'),
    ...planFlags,
  },
  examples: [
    { command: 'taskhooks uninstall' },
    { command: 'taskhooks uninstall --dir ~/src/shop --dry-run', description: 'what would be removed there' },
  ],
  async run(ctx, { values }) {
    const requested = parseScope(values.scope);
    const dir = projectDir(ctx, values);
    // Without --scope, uninstall means "gone": every settings file that can wire taskhooks into this project.
    const scopes = requested ? [requested] : [...SCOPES];
    const agentId = parseAgent(values.agent);
    const settingsFiles = agentFiles(agentId ? [AGENTS[agentId]] : Object.values(AGENTS), scopes, dir, ctx.env);
    const markTargets = confineToProject(ctx, dir, [...settingsFiles, mcpJsonFile(dir), projectConfigFile(dir)]);
    const plan = planUninstall({
      settingsFiles,
      mcpJsonFile: mcpJsonFile(dir),
      projectConfigFile: projectConfigFile(dir),
    });
    markTargets(plan);
    if (values['dry-run']) {
      if (values.json) printJson(ctx.out, { project: dir, scopes, dryRun: true, ...planJson(plan) });
      else printPlan(ctx.out, plan);
      return 0;
    }
    const { home } = ctx.settings;
    const applied = applyPlan(plan.changes);
    ctx.log().info({ project: dir, scopes, changes: applied }, 'uninstall applied');
    plan.notes.push(...keepTrust(home, plan.changes, projectConfigFile(dir)));
    const stillWired = agentFiles(Object.values(AGENTS), SCOPES, dir, ctx.env).some((f) =>
      hasTaskhooksHooks(readJsonDoc(f).value),
    );
    const { unregistered, projectsLeft } = stillWired
      ? { unregistered: false, projectsLeft: undefined }
      : withCache({ home: ctx.settings.home, log: ctx.log() }, (cache) => ({
          unregistered: unregisterProject(cache, dir),
          projectsLeft: listProjects(cache).length,
        }));
    // The monitor stops watching the repository at once instead of at its next cycle.
    if (unregistered) wakeMonitor(home, ctx.log(), 'project unregistered');
    // Stopping it is the user's call (a session anywhere may register a project with it again): say how.
    const monitor = unregistered && projectsLeft === 0 ? readLiveOwner(home) : undefined;
    if (monitor)
      plan.notes.push(
        `no project is registered any more, but the monitor still runs (pid ${monitor.pid}): \`taskhooks monitor stop\` stops it`,
      );
    if (values.json) {
      printJson(ctx.out, {
        project: dir,
        scopes,
        dryRun: false,
        changes: applied,
        notes: plan.notes,
        unregistered,
        monitorIdle: monitor !== undefined,
      });
      return 0;
    }
    const out = ctx.out;
    if (applied.length === 0)
      out.stdout.write(`taskhooks was not installed for ${dir} (${scopes.join(', ')}): nothing changed.\n`);
    else
      out.stdout.write(
        `${paint(out, 'green', '✓')} taskhooks is uninstalled from ${dir}\n\n${appliedTable(out, applied)}`,
      );
    printNotes(out, plan.notes);
    return 0;
  },
});
