// The notes install adds to its plan about what git would commit: the hook token, and paths of this machine in
// files a team may share (`.mcp.json`, another agent's project hooks), each with the line that keeps it out of git.
import path from 'node:path';
import { shellWord } from '../util/shell-word.js';
import { isGitIgnored } from './git-ignore.js';
import type { TaskhooksServer } from './mcp-json.js';
import type { Plan } from './plan.js';

/** The http transport's settings carry the hook token: said when git would commit them. */
export async function hookTokenNote(target: string): Promise<string | undefined> {
  if ((await isGitIgnored(target)) !== false) return undefined;
  return `${target} holds the hook token but git does not ignore it: add ".claude/settings.local.json" to .gitignore`;
}

/**
 * `.mcp.json` is a file teams commit, and the entry install writes names this machine's node and checkout (or its
 * monitor's port and token file): say so where it is about to be shared, with the two ways to keep it to this machine.
 * The local-scope command registers the same entry, so the person keeps the route install chose.
 */
export async function mcpJsonNote(plan: Plan, file: string, server: TaskhooksServer): Promise<string | undefined> {
  if (!plan.changes.some((c) => c.file === file && c.after !== null) || (await isGitIgnored(file)) === true)
    return undefined;
  const names = server.type === 'stdio' ? `${server.command}, ${server.args[0] as string}` : server.url;
  const local =
    server.type === 'stdio'
      ? `claude mcp add --scope local taskhooks -- ${[server.command, ...server.args].map(shellWord).join(' ')}`
      : `claude mcp add-json --scope local taskhooks ${shellWord(JSON.stringify(server))}`;
  return (
    `${file} now holds paths of this machine (${names}): to keep them out of git, add .mcp.json to .git/info/exclude, ` +
    `or remove its "taskhooks" entry and add the server for yourself only: ${local}`
  );
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
