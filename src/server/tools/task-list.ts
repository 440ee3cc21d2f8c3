// The session's list_tasks answer: the one pending list (src/tasks/pending.ts) the hooks, `tasks list` and the board
// read, each task in few fields, a claim said as a person's name or "another session", never a session's id.
import type { Task } from '../../tasks/task.js';
import { claimHolder } from '../../tasks/claim-holder.js';
import { pendingOf } from '../../tasks/pending.js';
import { taskOf } from '../../tasks/stored.js';
import type { ToolContext } from '../calls.js';
import { taskJson } from '../agenthub/json.js';

/** The most tasks one answer lists; `more` says how many were left out. */
const LIST_MAX = 200;

/** Who holds a task, as the session should say it: a person's name, never a session's id. */
function holderOf(claimedBy: string, sessionId: string | undefined): string {
  const holder = claimHolder(claimedBy, sessionId);
  return holder === '' ? 'this session' : (holder ?? 'another session');
}

/** A task as the session reads it: few fields, its branch or that every branch lists it. */
function brief(t: Task, sessionId: string | undefined): Record<string, unknown> {
  return {
    id: t.id,
    title: t.title,
    status: t.status,
    priority: t.priority,
    ...(t.projectTask ? { every_branch: true } : t.branch ? { branch: t.branch } : {}),
    ...(t.claimedBy ? { claimed_by: holderOf(t.claimedBy, sessionId) } : {}),
  };
}

export async function listed(
  ctx: ToolContext,
  project: { id: string; name: string },
  all: boolean,
): Promise<Record<string, unknown>> {
  const { store } = ctx;
  const names = new Map((await store.listBranches(project.id)).map((b) => [b.id, b.name]));
  const { tasks, total } = await store.listTasks({ projectId: project.id, limit: 1000 });
  const read = tasks.map((r) => {
    const t = taskOf(taskJson(r), { notes: false });
    const name = r.gitBranchId ? names.get(r.gitBranchId) : undefined;
    return name ? { ...t, branch: name } : t;
  });
  const shown = pendingOf(read, all);
  const sessionId = (await ctx.sessionPlace?.())?.sessionId;
  const more = shown.length - LIST_MAX + (total - tasks.length);
  return {
    project: project.name,
    tasks: shown.slice(0, LIST_MAX).map((t) => brief(t, sessionId)),
    ...(more > 0 ? { more } : {}),
  };
}
