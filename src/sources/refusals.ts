// What a task command is refused before it acts: a change the source's definition does not declare (known before
// anything is opened or asked), and another project's task where one server's ids span projects.
import { shellWord } from '../util/shown.js';
import { stripControls } from '../context/sanitize.js';
import { UserError } from '../errors/user.js';
import type { SourceDefinition, SourceWrite } from './contract.js';
import { sourceName, type SourcePlan } from './plan.js';
import { definitionOf } from './registry.js';
import type { TaskSource } from './source.js';

/** The definition of the source a command acts on: the configured one, or the embedded store of a --db file. */
export const definitionActedOn = (plan: SourcePlan, dbFile: string | undefined): SourceDefinition =>
  definitionOf(dbFile ? 'embedded' : sourceName(plan));

/** Each write as a sentence says it cannot be done. */
const WRITE_WORDS: Readonly<Record<SourceWrite, string>> = {
  start: 'start a task',
  done: 'mark a task done',
  block: 'mark a task blocked',
  reopen: 'reopen a task',
  note: 'keep notes',
  add: 'add a task',
  edit: 'edit a task',
  remove: 'delete a task',
};

/** The one line saying a source cannot make this change, from the writes its definition declares; undefined when it can. */
export function refusedWrite(
  definition: Pick<SourceDefinition, 'name' | 'capabilities'>,
  write: SourceWrite,
): string | undefined {
  const { writes } = definition.capabilities;
  if (writes.includes(write)) return undefined;
  const can = writes.length > 0 ? `it can ${writes.join(', ')}` : 'it is read-only here';
  return `the ${definition.name} task source cannot ${WRITE_WORDS[write]}: ${can} (use its own tools; docs/sources.md lists what each source can do)`;
}

/** Throws that line, a `UserError` to fix (exit 2), when the source cannot make the change. */
export function refuseWrite(definition: Pick<SourceDefinition, 'name' | 'capabilities'>, write: SourceWrite): void {
  const refused = refusedWrite(definition, write);
  if (refused) throw new UserError(refused, 2);
}

/**
 * Refuses task `id` when it belongs to another project than `here`, the command's: where one server's ids span
 * projects, a command run in project beta with alpha's TASK-001 would otherwise act on alpha's task without a word.
 * The line names the owner (`owner`, undefined when unknown) and the flag that acts on it anyway. `command` is how the
 * user called it, e.g. `tasks start`.
 */
export function refuseOtherProject(id: string, owner: string | undefined, here: string, command: string): void {
  if (owner === undefined || owner === here) return;
  const shown = stripControls(owner);
  throw new UserError(
    `${stripControls(id)} belongs to project ${shown}, not ${stripControls(here)}: to act on it anyway, name its project (\`taskhooks ${command} ${shellWord(stripControls(id))} --project ${shellWord(shown)}\`)`,
    2,
  );
}

/** The same refusal, asking the source which project the task belongs to where its ids span projects. */
export async function checkOwnProject(s: TaskSource, id: string, here: string, command: string): Promise<void> {
  if (s.projectOf) refuseOtherProject(id, await s.projectOf(id), here, command);
}
