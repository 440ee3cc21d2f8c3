// `taskhooks uninstall`: exactly what install added goes (src/install/uninstall.ts); this layer reads the flags and
// prints.
import { SCOPES } from '../../install/paths.js';
import {
  applyUninstall,
  FOLDERS_NOTE,
  MONITOR_IDLE_NOTE,
  planUninstall,
  type UninstallOptions,
} from '../../install/uninstall.js';
import { AGENTS, claudeJsonShown } from '../../agents/index.js';
import { defineCommand } from '../args.js';
import type { Command } from '../command.js';
import { paint, printJson, type Out } from '../output.js';
import { homeFiles } from '../../home/files.js';
import type { AppliedChange } from '../../install/writing/apply.js';
import { globalRemoval } from '../../install/planning/reach.js';
import { excludeTarget } from '../../install/git/info-exclude.js';
import {
  agentFlag,
  changeLines,
  globalJson,
  parseAgent,
  planCommandFlags,
  planTarget,
  printDryRun,
  printNotes,
} from './install-shared.js';

/** The line uninstall ends with: how much went, and whether the monitor forgot the project. */
/** Three lines: what was taken out, what of the monitor, and what stays. */
function uninstalledLines(
  out: Out,
  dir: string,
  applied: readonly AppliedChange[],
  result: { unregistered: boolean; monitorPid?: number | undefined; home: string },
): string {
  const folders = applied.filter((c) => c.file.endsWith('/')).length;
  const files = applied.length - folders;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const gone = folders > 0 ? `${count(files, 'file')} and ${count(folders, 'folder')}` : count(files, 'file');
  const forgot = result.unregistered ? '; the monitor forgot the project, and the board no longer shows it' : '';
  const monitor = result.monitorPid
    ? `monitor: no project is registered any more, but it still runs (pid ${result.monitorPid}): \`taskhooks monitor stop\` stops it`
    : result.unregistered
      ? 'monitor: it no longer refreshes this project'
      : "monitor: it still serves this project (another agent's files wire it)";
  return (
    `${paint(out, 'green', '✓')} taskhooks is uninstalled from ${dir}: ${gone} changed or removed${forgot}\n` +
    `${monitor}\n` +
    `Your tasks stay in ${homeFiles(result.home).tasks}; \`taskhooks install\` puts the hooks back.\n`
  );
}

const uninstallCommand = defineCommand({
  name: 'uninstall',
  summary: 'Remove exactly what `taskhooks install` added',
  description:
    "Takes taskhooks' hooks and task tools out of each agent's settings files (Claude Code's, Codex's, …),\n" +
    `${claudeJsonShown()} and .mcp.json, leaving everything else as it was;\n` +
    'the project config (.claude/taskhooks.json) stays. The project leaves the monitor once no settings file wires it.',
  flags: planCommandFlags('uninstall from', {
    scope: {
      type: 'string',
      placeholder: 'SCOPE',
      description: `only this settings file: ${SCOPES.join(', ')} (default: all of them)`,
    },
    agent: agentFlag('uninstall from', 'all (the default: every one)'),
  }),
  examples: [
    { command: 'taskhooks uninstall' },
    { command: 'taskhooks uninstall --agent codex', description: "only Codex's files" },
    { command: 'taskhooks uninstall --dir ~/src/shop --dry-run', description: 'what would be removed there' },
  ],
  async run(ctx, { values }) {
    const { dir, scope: requested } = planTarget(ctx, values);
    // Without --scope, uninstall means "gone": every settings file that can wire taskhooks into this project.
    const scopes = requested ? [requested] : [...SCOPES];
    // Every value install takes: `all` there is every agent found, here every agent, found or not.
    const agentId = values.agent === 'all' ? undefined : parseAgent(values.agent);
    const agents = agentId ? [AGENTS[agentId]] : Object.values(AGENTS);
    const excludeFile = (await excludeTarget(dir))?.file;
    const options: UninstallOptions = { dir, scopes, agents, home: ctx.settings.home, env: ctx.env, excludeFile };
    const plan = planUninstall(options, ctx.log());
    const reach = (file: string) => globalRemoval(file, { dir, env: ctx.env });
    if (values['dry-run']) {
      printDryRun(ctx.out, values.json, [{ about: { project: dir, scopes }, plan }], false, reach);
      return 0;
    }
    const { applied, unregistered, monitorIdle, monitorPid } = applyUninstall(options, plan, ctx.log());
    if (values.json) {
      printJson(ctx.out, {
        project: dir,
        scopes,
        dryRun: false,
        changes: applied.map((c) => ({ ...c, ...globalJson(reach, c.file) })),
        notes: plan.notes,
        unregistered,
        monitorIdle,
      });
      return 0;
    }
    const out = ctx.out;
    // A project `taskhooks start` or a session registered has no files to remove, and is still forgotten.
    if (applied.length === 0)
      out.stdout.write(
        unregistered
          ? `taskhooks was not installed for ${dir} (${scopes.join(', ')}): no file changed; the monitor forgot the project (it no longer refreshes it, and the board no longer shows it).\n`
          : `taskhooks was not installed for ${dir} (${scopes.join(', ')}): nothing changed.\n`,
      );
    else out.stdout.write(changeLines(out, applied, reach));
    // The folders are in the list above, and the monitor has its line in the summary below.
    printNotes(
      out,
      plan.notes.filter((n) => !n.startsWith(FOLDERS_NOTE) && !n.startsWith(MONITOR_IDLE_NOTE)),
    );
    if (applied.length > 0)
      out.stdout.write(uninstalledLines(out, dir, applied, { unregistered, monitorPid, home: ctx.settings.home }));
    return 0;
  },
});

export const uninstallCommands: Command[] = [uninstallCommand];
