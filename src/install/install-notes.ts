// The notes install adds to its plan about what git would commit: the hook token, taskhooks' old entry in
// `.mcp.json`, and paths of this machine in another agent's project hooks, each with the line that keeps it out of git.
import path from 'node:path';
import { committedText, isGitIgnored } from './git-ignore.js';
import { readJsonDoc, type JsonObject } from './json-doc.js';
import { hasTaskhooksServer } from './mcp-json.js';
import type { Plan } from './plan.js';

/** The http transport's settings carry the hook token: said when git would commit them. */
export async function hookTokenNote(target: string): Promise<string | undefined> {
  if ((await isGitIgnored(target)) !== false) return undefined;
  return `${target} holds the hook token but git does not ignore it: add ".claude/settings.local.json" to .gitignore`;
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
      note: `${file} is committed with a "taskhooks" server of this machine, which teammates' sessions try and fail: left as it is; remove that entry and commit (the task tools now come from your own ~/.claude.json)`,
    };
  return { move: true, note: `moved the task tools out of ${file} into your own ~/.claude.json (this project only)` };
}

/**
 * Codex's and Gemini CLI's project hooks (and Codex's task tools) name this machine's node and checkout too, in files
 * teams may commit: said of each as for `.mcp.json`, with the line that keeps it out of git (and out of the context's
 * untracked count).
 */
export async function machinePathsNotes(
  plan: Plan,
  dir: string,
  files: readonly string[],
  names: string,
): Promise<void> {
  for (const file of new Set(files)) {
    const note = await machinePathsNote(plan, dir, file, names);
    if (note) plan.notes.push(note);
  }
}

async function machinePathsNote(plan: Plan, dir: string, file: string, names: string): Promise<string | undefined> {
  const inProject = !path.relative(dir, file).startsWith('..');
  if (!inProject || !plan.changes.some((c) => c.file === file && c.after !== null)) return undefined;
  if ((await isGitIgnored(file)) !== false) return undefined;
  const relative = path.relative(dir, file);
  return (
    `${file} now holds paths of this machine (${names}): to keep it out of git and of \`git status\`, ` +
    `echo ${JSON.stringify(`/${relative}`)} >> .git/info/exclude`
  );
}
