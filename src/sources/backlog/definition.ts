// Backlog.md, read through its own program's versioned JSON (`backlog task list --json`), never written.
import { defineSource, npmProgram, programPlan } from '../contract.js';

/** Its program, found where installed (never downloaded). */
export const PROGRAM = npmProgram('Backlog.md', 'backlog', 'backlog.md');

export const definition = defineSource({
  name: 'backlog',
  summary: 'Backlog.md (the `backlog` program, tasks as markdown under backlog/)',
  capabilities: {
    writes: [],
    claims: 'none',
    pagination: '`backlog task list --json` answers the whole list at once',
  },
  // The project's own words: To Do, In Progress and Done by default, any other through source.statuses.
  words: { statuses: { 'To Do': 'todo', 'In Progress': 'in_progress', Done: 'done' } },
  changingTools: ['task_create', 'task_edit', 'task_complete', 'task_archive'],
  program: PROGRAM,
  plan: (shared, ctx) => ({ kind: 'cli', ...programPlan(shared, ctx, PROGRAM.bin) }),
});
