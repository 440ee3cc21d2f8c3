// What install prints once it has applied: each agent's changes and notes, then the one line for every agent about
// the files it wrote this machine's paths or the hook token into, which it keeps out of git through .git/info/exclude.
import { addExcludes, excludeLine, excludeTarget } from '../../install/git/info-exclude.js';
import { globalReach } from '../../install/planning/reach.js';
import type { Plan } from '../../install/planning/plan.js';
import type { AppliedChange } from '../../install/writing/apply.js';
import type { InstallOptions } from '../../install/install.js';
import { paint, type Out } from '../output.js';
import { changeLines, printNotes, type Reach } from './install-shared.js';

export interface KeptOut {
  /** The exclude lines of every file the plans keep out, in the order install wrote them. */
  lines: string[];
  /** The exclude file, and what `--git-exclude` added to it (none on a dry run). */
  file: string;
  added?: string[];
}

/**
 * What the plans keep out of git, merged across agents, and where: asked before anything is written, so an exclude
 * file leading outside the repository's git directory refuses the whole install.
 */
export async function keepOutOfGit(dir: string, plans: readonly Plan[]): Promise<KeptOut | undefined> {
  const files = [...new Set(plans.flatMap((p) => p.keepOut ?? []))];
  if (files.length === 0) return undefined;
  const target = await excludeTarget(dir);
  if (!target) return undefined;
  return { lines: files.map((f) => excludeLine(target.top, f)), file: target.file };
}

/** Writes the lines into the exclude file; what was added goes on `kept`. */
export function writeKeptOut(kept: KeptOut | undefined): void {
  if (kept) kept.added = addExcludes(kept.file, kept.lines);
}

/** An install's `--json` fields: its files git would commit, and what `--git-exclude` added for the run. */
export const keptOutJson = (plan: Plan, kept: KeptOut | undefined) => ({
  keepOutOfGit: plan.keepOut ?? [],
  ...(kept?.added ? { gitExclude: { file: kept.file, added: kept.added } } : {}),
});

/** One line: what a dry run would exclude, or what this run excluded (nothing when the file already held them all). */
export function printKeptOut(out: Out, k: KeptOut | undefined, o: { dryRun: boolean }): void {
  if (!k) return;
  if (o.dryRun) out.stdout.write(`would add to ${k.file}: ${k.lines.join(', ')}\n`);
  else if (k.added?.length)
    out.stdout.write(
      `${paint(out, 'green', '✓')} ${k.file}: added ${k.added.join(', ')}, which name this machine's paths or the hook token; git neither shows nor commits them in this clone\n`,
    );
}

/** What each file the installs write outside the project does to other folders (src/install/planning/reach.ts). */
export function installReach(
  installs: ReadonlyArray<{ options: InstallOptions; plan: Plan }>,
  dir: string,
  env: NodeJS.ProcessEnv,
): Reach {
  const hookFiles = installs.map(({ options: o }) => o.agent.configFile(o.scope, dir, env));
  const secretFiles = installs.flatMap((i) => i.plan.changes.filter((c) => c.mode === 0o600).map((c) => c.file));
  return (file) => globalReach(file, { dir, env, hookFiles, secretFiles });
}

/**
 * Each agent's install as done: the files changed, each once, and its own notes. One agent opens with the line that
 * says it is installed; several each open with their name and end in `installedSummary`.
 */
export function printInstalled(
  out: Out,
  dir: string,
  installs: ReadonlyArray<{ options: InstallOptions; plan: Plan }>,
  applied: ReadonlyArray<AppliedChange[]>,
  reach: Reach,
): void {
  for (const [k, i] of installs.entries()) {
    const { agent, scope, transport } = i.options;
    const changes = applied[k] ?? [];
    const about = `${agent.label}, scope ${scope}, transport ${transport}`;
    out.stdout.write(
      installs.length > 1
        ? `${paint(out, 'bold', `${about}:`)}\n`
        : `${paint(out, 'green', '✓')} taskhooks is installed for ${dir} (${about})\n\n`,
    );
    out.stdout.write(changes.length > 0 ? changeLines(out, changes, reach) : 'Already installed: nothing changed.\n');
    printNotes(out, i.plan.notes);
    if (installs.length === 1) out.stdout.write('\n');
  }
}

/** The first of the three lines several agents' install ends with (then the monitor, then what to do next). */
export function installedSummary(
  out: Out,
  dir: string,
  installs: ReadonlyArray<{ options: InstallOptions }>,
  applied: ReadonlyArray<AppliedChange[]>,
  kept: KeptOut | undefined,
): string {
  const files = applied.reduce((n, a) => n + a.length, 0);
  const labels = installs.map((i) => i.options.agent.label).join(', ');
  // The files themselves are listed above: the exclude file is named, not them again.
  const excluded = kept?.added?.length
    ? `; ${kept.added.length} of them, naming this machine's paths or the hook token, kept out of git in ${kept.file}`
    : '';
  return `${paint(out, 'green', '✓')} taskhooks is installed for ${dir}: ${labels} (${files} file${files === 1 ? '' : 's'} changed${excluded})\n`;
}
