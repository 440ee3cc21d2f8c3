// What install writes that git would commit: the hook token, and paths of this machine in another agent's project
// hooks (and `.mcp.json` under the mcp transport). Each such file is kept on the plan (`keepOut`), whether this run
// writes it or an earlier one did, so the CLI says them in one note for every agent and `--git-exclude` keeps them all
// out of git. And taskhooks' old entry in `.mcp.json`, moved out.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors/user.js';
import { committedText, gitTakesAnyway, isGitIgnored } from './ignore-check.js';
import { readJsonDoc, type JsonObject } from '../../files/json-doc.js';
import { hasTaskhooksServer } from '../writing/mcp-json.js';
import type { Plan } from '../planning/plan.js';
import { claudeJsonShown } from '../../agents/claude/claude-json.js';

/** `file` holds what install writes once the plan is applied: written now, or by an earlier install. */
const holds = (plan: Plan, file: string): boolean =>
  plan.changes.some((c) => c.file === file && c.after !== null) || existsSync(file);

/** The fix for a file git would take whatever the exclude says, by why it would. */
function untakeFix(rel: string, why: string): string {
  if (why === 'git tracks it') return `\`git rm --cached ${rel}\` and commit that`;
  if (why.startsWith('it is a link')) return `replace the link ${rel} with a file of its own`;
  return `remove that line (or add a later \`/${rel}\` line after it)`;
}

/**
 * Kept on the plan when it is in the project, holds install's entry and git does not ignore it. Git would commit it
 * anyway (tracked, a link to a tracked file, a committed negation beating the exclude): Claude Code's local settings,
 * the file no clone shares, are refused, and another agent's project file a team tracks is named in a note.
 */
async function keep(plan: Plan, dir: string, file: string, localFile: boolean): Promise<void> {
  const rel = path.relative(dir, file);
  if (rel.startsWith('..') || !holds(plan, file)) return;
  const ignored = await isGitIgnored(file);
  if (ignored !== false) return;
  const why = await gitTakesAnyway(file);
  if (why !== undefined && (localFile || why !== 'git tracks it'))
    throw new UserError(
      `${rel} would be committed by git (${why}), and install writes this machine's port and paths there: ${untakeFix(rel, why)}, then run again — nothing was changed`,
    );
  if (why !== undefined) {
    if (plan.changes.some((c) => c.file === file && c.after !== null))
      plan.notes.push(
        `${rel} is tracked by git and now names this machine's node and taskhooks (the agent reads its project hooks there): commit it only if every clone has them at those paths, or install with \`--scope user\` where the agent has one`,
      );
    return;
  }
  plan.keepOut = [...new Set([...(plan.keepOut ?? []), file])];
}

/**
 * taskhooks' entry of an earlier install in `.mcp.json`, a file teams commit, which named this machine's port and
 * token file: taken out (the server now lives in the person's own ~/.claude.json), unless git's HEAD holds it, which
 * makes the file the person's to change. Undefined when the file holds no entry of taskhooks'.
 */
export async function mcpJsonMoveOut(file: string): Promise<{ move: boolean; note: string } | undefined> {
  let present: JsonObject;
  try {
    present = readJsonDoc(file).value;
  } catch {
    return undefined; // the plan's own read of the file says what is wrong with it
  }
  if (!hasTaskhooksServer(present)) return undefined;
  const committed = await committedText(file);
  let inHead = false;
  try {
    inHead = committed !== undefined && hasTaskhooksServer(JSON.parse(committed) as JsonObject);
  } catch {
    inHead = false;
  }
  if (inHead)
    return {
      move: false,
      note: `${file} is committed with a "taskhooks" server of this machine, which teammates' sessions try and fail: left as it is; remove that entry and commit (the task tools now come from your own ${claudeJsonShown()})`,
    };
  return {
    move: true,
    note: `moved the task tools out of ${file} into your own ${claudeJsonShown()} (this project only)`,
  };
}

/**
 * The http transport's settings carry the hook token; `.mcp.json`, a file teams commit, names this machine's node and
 * checkout (or its monitor's port and token file); Codex's, Gemini CLI's, … project hooks (and Codex's task tools)
 * name this machine's node and checkout too.
 */
export async function keepOutOfGit(
  plan: Plan,
  dir: string,
  files: readonly string[],
  localFile?: string,
): Promise<void> {
  for (const file of new Set(files)) await keep(plan, dir, file, file === localFile);
}
