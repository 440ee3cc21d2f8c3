// What `install` and `uninstall` share: their flags, and the plan as shown.
import { findGitRoot } from '../../git/repo.js';
import type { AppliedChange } from '../../install/writing/apply.js';
import { shownDiff } from '../../install/planning/diff.js';
import { SCOPES, type SettingsScope } from '../../install/paths.js';
import type { Plan } from '../../install/planning/plan.js';
import { AGENT_IDS, AGENTS, type AgentAdapter, type AgentId } from '../../agents/index.js';
import { agentsLookedFor, agentsPresent } from '../../install/planning/detect-agents.js';
import { quoted, UsageError } from '../args.js';
import type { CliContext, FlagSpec } from '../command.js';
import { dirFlag, dirFromFlags, JSON_FLAG, PROJECT_DIR_ALIAS } from '../flags.js';
import { paint, printJson, type Out } from '../output.js';

/** The flags both commands take, described once: the project first, the command's `own`, then the plan's. */
export const planCommandFlags = <Own extends Record<string, FlagSpec>>(verb: string, own: Own) =>
  ({
    dir: dirFlag(`the project to ${verb} (default: the git root around the working directory)`),
    project: PROJECT_DIR_ALIAS,
    ...own,
    'dry-run': { type: 'boolean', description: 'show every change as a diff and write nothing' },
    json: JSON_FLAG,
  }) as const;

/** `--agent`: which coding agent's configuration the command is about. */
export const agentFlag = (verb: string, more?: string) =>
  ({
    type: 'string',
    placeholder: 'AGENT',
    description: `the coding agent to ${verb}: ${[...AGENT_IDS, ...(more ? [more] : [])].join(', ')}`,
  }) as const;

export function parseAgent(raw: string | undefined): AgentId | undefined {
  if (raw === undefined) return undefined;
  const found = AGENT_IDS.find((a) => a === raw);
  if (!found) throw new UsageError(`--agent ${quoted(raw)} is not one of ${[...AGENT_IDS, 'all'].join(', ')}`);
  return found;
}

/** The agents `install --agent` names: one, or with `all` every one found on this machine (Claude Code by default). */
export function installAgents(raw: string | undefined, env: NodeJS.ProcessEnv): AgentAdapter[] {
  if (raw !== 'all') return [AGENTS[parseAgent(raw) ?? 'claude']];
  const found = agentsPresent(env);
  if (found.length === 0) throw new UsageError(`${agentsLookedFor(env)}: name one with --agent`);
  return found;
}

export { agentsLookedFor };

function parseScope(raw: string | undefined): SettingsScope | undefined {
  if (raw === undefined) return undefined;
  const found = SCOPES.find((s) => s === raw);
  if (!found) throw new UsageError(`--scope ${quoted(raw)} is not one of ${SCOPES.join(', ')}`);
  return found;
}

/**
 * What the command is about: the project, `--dir DIR` (or the old `--project DIR`), else the git root around the
 * working directory, else the working directory; and the `--scope` asked for, if any.
 */
export function planTarget(
  ctx: CliContext,
  values: { dir?: string | undefined; project?: string | undefined; scope?: string | undefined },
): { dir: string; scope: SettingsScope | undefined } {
  const scope = parseScope(values.scope);
  return { dir: dirFromFlags(ctx, values, findGitRoot(ctx.cwd) ?? ctx.cwd), scope };
}

const ACTION_WORDS = { create: 'create', update: 'update', remove: 'remove' } as const;

/** The local-scope server's line: it is no diff (the agent's own file, its token never shown). */
const localServerLine = (plan: Plan): string | undefined =>
  plan.localServer &&
  `${plan.localServer.entry ? 'Set' : 'Take out'} the "taskhooks" task tools for ${plan.localServer.project} in your own ${AGENTS[plan.localServer.agent].localTools?.shown} (global file; local scope: this project's entry alone, other folders unaffected)`;

/** What a file outside the project does to other folders (src/install/planning/reach.ts); undefined for the project's own. */
export type Reach = (file: string) => string | undefined;

function printPlan(out: Out, plan: Plan, reach: Reach): void {
  const local = localServerLine(plan);
  if (plan.changes.length === 0 && !local) out.stdout.write('Nothing to change.\n');
  if (local) out.stdout.write(`${paint(out, 'bold', local)}\n`);
  for (const c of plan.changes) {
    out.stdout.write(
      `${paint(out, 'bold', `${ACTION_WORDS[c.action]} ${c.file}${c.target ? ` → ${c.target}` : ''}`)}${c.backup ? paint(out, 'dim', ' (backup first)') : ''}\n`,
    );
    const global = reach(c.file);
    if (global) out.stdout.write(`  ${paint(out, 'yellow', global)}\n`);
    for (const safe of shownDiff(c)) {
      const colour = safe.startsWith('+') ? 'green' : safe.startsWith('-') ? 'red' : 'dim';
      out.stdout.write(`  ${paint(out, colour, safe)}\n`);
    }
  }
  printNotes(out, plan.notes);
  out.stdout.write(paint(out, 'dim', 'Dry run: nothing was written.\n'));
}

export function printNotes(out: Out, notes: readonly string[]): void {
  for (const note of notes) out.stdout.write(`${paint(out, 'yellow', 'note:')} ${note}\n`);
}

function planJson(plan: Plan, reach: Reach) {
  return {
    changes: plan.changes.map((c) => ({
      file: c.file,
      action: c.action,
      backup: c.backup,
      ...(c.target ? { target: c.target } : {}),
      ...globalJson(reach, c.file),
      diff: shownDiff(c),
    })),
    ...(plan.localServer ? { localServer: localServerLine(plan) } : {}),
    notes: plan.notes,
  };
}

/** The `global` field of a change in --json: what the file does to other folders, when it is outside the project. */
export const globalJson = (reach: Reach, file: string): { global?: string } => {
  const global = reach(file);
  return global ? { global } : {};
};

const DONE_WORDS = { create: 'created', update: 'updated', remove: 'removed' } as const;

/** Each file changed, once, on one line: what happened, its backup, and for one outside the project its reach. */
export function changeLines(out: Out, applied: readonly AppliedChange[], reach: Reach): string {
  return applied
    .map((a) => {
      const global = reach(a.file);
      const backup = a.backup ? paint(out, 'dim', ` (backup ${a.backup})`) : '';
      return `${DONE_WORDS[a.action]}  ${a.file}${backup}${global ? ` — ${paint(out, 'yellow', global)}` : ''}\n`;
    })
    .join('');
}

/**
 * A dry run's answer: with --json each plan as data beside what it is about (a list when `list`, else the one), else
 * each plan as a diff.
 */
export function printDryRun(
  out: Out,
  json: boolean | undefined,
  runs: ReadonlyArray<{ about: object; plan: Plan }>,
  list: boolean,
  reach: Reach,
): void {
  if (!json) {
    for (const r of runs) printPlan(out, r.plan, reach);
    return;
  }
  const shown = runs.map((r) => ({ ...r.about, dryRun: true, ...planJson(r.plan, reach) }));
  printJson(out, list ? shown : shown[0]);
}
