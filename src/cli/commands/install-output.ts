// What install prints once it has applied: each agent's changes and notes, then the one note for every agent about
// what git would commit (this machine's paths, the hook token), or what `--git-exclude` wrote into .git/info/exclude
// instead of asking the person to.
import path from 'node:path';
import { addExcludes, excludeLine, excludeTarget } from '../../install/git-exclude.js';
import { writesKeptOut } from '../../install/install-notes.js';
import type { Plan } from '../../install/plan.js';
import type { AppliedChange } from '../../install/apply.js';
import type { InstallOptions } from '../../install/install.js';
import { paint, type Out } from '../output.js';
import { appliedTable, printNotes } from './install-shared.js';

export interface KeptOut {
  /** The exclude lines of every file the plans keep out, in the order install wrote them. */
  lines: string[];
  /** The exclude file, and what `--git-exclude` added to it (none on a dry run). */
  file: string;
  added?: string[];
  mcpJson: boolean;
  /** This run wrote one of them: the note is said (an install run again changes nothing and says nothing). */
  fresh: boolean;
}

/** What the plans keep out of git, merged across agents; written to the exclude file when `write`. */
export async function keepOutOfGit(dir: string, plans: readonly Plan[], write: boolean): Promise<KeptOut | undefined> {
  const files = [...new Set(plans.flatMap((p) => p.keepOut ?? []))];
  if (files.length === 0) return undefined;
  const target = await excludeTarget(dir);
  if (!target) return undefined;
  const lines = files.map((f) => excludeLine(target.top, f));
  const mcpJson = files.some((f) => path.basename(f) === '.mcp.json');
  const fresh = plans.some(writesKeptOut);
  return { lines, file: target.file, mcpJson, fresh, ...(write ? { added: addExcludes(target.file, lines) } : {}) };
}

/** An install's `--json` fields: its files git would commit, and what `--git-exclude` added for the run. */
export const keptOutJson = (plan: Plan, kept: KeptOut | undefined) => ({
  keepOutOfGit: plan.keepOut ?? [],
  ...(kept?.added ? { gitExclude: { file: kept.file, added: kept.added } } : {}),
});

/** One line: what was excluded, what a dry run would exclude, or the note offering `--git-exclude`. */
export function printKeptOut(out: Out, k: KeptOut | undefined, o: { asked: boolean; dryRun: boolean }): void {
  if (!k) return;
  const named = k.lines.map((l) => l.slice(1)).join(', ');
  if (o.asked && o.dryRun) out.stdout.write(`would add to ${k.file}: ${k.lines.join(', ')}\n`);
  else if (o.asked)
    out.stdout.write(
      `${paint(out, 'green', '✓')} ${k.file}: ${k.added?.length ? `added ${k.added.join(', ')}` : 'already holds them'}; git neither shows nor commits them in this clone\n`,
    );
  else if (k.fresh) {
    const mcp = k.mcpJson
      ? `; or keep .mcp.json's "taskhooks" server to yourself in Claude Code's local scope instead (docs/install.md says how)`
      : '';
    out.stdout.write(
      `${paint(out, 'yellow', 'note:')} git would commit what install wrote for this machine (its paths, the hook token) in ${named}: \`taskhooks install --git-exclude\` adds them to .git/info/exclude, for this clone only${mcp}\n`,
    );
  }
}

/** Each agent's install as done: the files changed, and its own notes. */
export function printInstalled(
  out: Out,
  dir: string,
  installs: ReadonlyArray<{ options: InstallOptions; plan: Plan }>,
  applied: ReadonlyArray<AppliedChange[]>,
): void {
  for (const [k, i] of installs.entries()) {
    const { agent, scope, transport } = i.options;
    const changes = applied[k] ?? [];
    out.stdout.write(
      `${paint(out, 'green', '✓')} taskhooks is installed for ${dir} (${agent.label}, scope ${scope}, transport ${transport})\n\n`,
    );
    out.stdout.write(
      changes.length > 0 ? `${appliedTable(out, changes)}\n` : 'Already installed: nothing changed.\n\n',
    );
    printNotes(out, i.plan.notes);
  }
}
