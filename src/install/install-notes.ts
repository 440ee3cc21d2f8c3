// What install writes that git would commit: the hook token, and paths of this machine in files a team may share
// (`.mcp.json`, another agent's project hooks). Each such file is kept on the plan (`keepOut`), whether this run
// writes it or an earlier one did, so the CLI says them in one note for every agent and `--git-exclude` keeps them
// all out of git.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isGitIgnored } from './git-ignore.js';
import type { Plan } from './plan.js';

/** `file` holds what install writes once the plan is applied: written now, or by an earlier install. */
const holds = (plan: Plan, file: string): boolean =>
  plan.changes.some((c) => c.file === file && c.after !== null) || existsSync(file);

/** Kept on the plan when it is in the project, holds install's entry and git does not ignore it. */
async function keep(plan: Plan, dir: string, file: string): Promise<void> {
  if (path.relative(dir, file).startsWith('..') || !holds(plan, file)) return;
  if ((await isGitIgnored(file)) !== false) return;
  plan.keepOut = [...new Set([...(plan.keepOut ?? []), file])];
}

/**
 * The http transport's settings carry the hook token; `.mcp.json`, a file teams commit, names this machine's node and
 * checkout (or its monitor's port and token file); Codex's, Gemini CLI's, … project hooks (and Codex's task tools)
 * name this machine's node and checkout too.
 */
export async function keepOutOfGit(plan: Plan, dir: string, files: readonly string[]): Promise<void> {
  for (const file of new Set(files)) await keep(plan, dir, file);
}

/** Whether the plan writes one of the files it keeps out: then the person hears of them (once, not every run). */
export const writesKeptOut = (plan: Plan): boolean =>
  plan.changes.some((c) => c.after !== null && (plan.keepOut ?? []).includes(c.file));
