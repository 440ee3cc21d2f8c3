// manage_task list and search: a page of the listing, or with `since` only what changed after that sequence. Every
// answer of a project or branch carries `sequence`, the project's change sequence read before the tasks, so a reader
// that patches with the next delta misses nothing.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  SORT_KEYS,
  type ListingScope,
  type ScopeNames,
  type SortKey,
  type TaskFilter,
  type TaskStore,
} from '../../store/index.js';
import { successOfJson } from '../envelope.js';
import { keptListing, freshSequence } from '../listing-cache.js';
import { invalid, noSuch, requirePriority, requireStatus } from '../../store/errors.js';
import { requireArg, toInt, toList, type TaskArgs } from './args.js';
import { taskJson } from './json.js';

/** The list / next filter the arguments name: a branch id narrows to the branch, a project id or name to the project. */
export async function branchOrProjectFilter(
  store: TaskStore,
  a: TaskArgs,
): Promise<{ projectId?: string; gitBranchId?: string }> {
  if (a.git_branch_id) {
    const branch = await store.getBranch(a.git_branch_id);
    if (!branch) throw noSuch('Git branch', a.git_branch_id);
    return { gitBranchId: branch.id };
  }
  if (a.project_id) {
    const project = await store.getProject(a.project_id);
    if (!project) throw noSuch('Project', a.project_id);
    return { projectId: project.id };
  }
  return {};
}

/** The names a listing's arguments give (an empty one names nothing, as in branchOrProjectFilter). */
const namesOf = (a: TaskArgs): ScopeNames => ({
  gitBranchId: a.git_branch_id || undefined,
  project: a.git_branch_id ? undefined : a.project_id || undefined,
});

/** The listing's filter (paging aside): the scope the store found for its names, and the arguments, checked. */
function filterOf(scope: ListingScope, a: TaskArgs, query: string | undefined): TaskFilter {
  if (a.git_branch_id && !scope.branch) throw noSuch('Git branch', a.git_branch_id);
  if (!a.git_branch_id && a.project_id && !scope.project) throw noSuch('Project', a.project_id);
  const sortBy = a.sort_by;
  if (sortBy !== undefined && !(SORT_KEYS as readonly string[]).includes(sortBy))
    throw invalid(`Invalid sort_by: '${sortBy}'. Allowed values: ${SORT_KEYS.join(', ')}`);
  if (a.sort_order !== undefined && a.sort_order !== 'asc' && a.sort_order !== 'desc')
    throw invalid(`Invalid sort_order: '${a.sort_order}'. Allowed values: asc, desc`);
  return {
    ...(scope.branch ? { gitBranchId: scope.branch.id } : scope.project ? { projectId: scope.project.id } : {}),
    statuses: toList(a.status)?.map(requireStatus),
    priorities: toList(a.priority)?.map(requirePriority),
    assignees: toList(a.assignees),
    labels: toList(a.labels),
    query,
    sortBy: sortBy as SortKey | undefined,
    sortOrder: a.sort_order as 'asc' | 'desc' | undefined,
  };
}

export async function listTasks(store: TaskStore, a: TaskArgs): Promise<CallToolResult> {
  const op = a.action;
  const query = a.action === 'search' ? requireArg(a.query, 'query', op) : a.query;
  const echo = query !== undefined ? { query } : {};
  const since =
    a.since === undefined || a.since === '' ? undefined : toInt(a.since, 'since', 0, Number.MAX_SAFE_INTEGER, 0);
  // Cached by the arguments as given: at one store sequence they always name the same branch or project (a rename
  // moves the sequence too), and bad ones are refused inside the read, in the same order as before. Deltas are cached
  // the same way: every monitor a change notified asks since the same sequence, so one read answers them all. The
  // answer carries the project's own sequence, read with the names before the tasks; a cross-project list has none.
  const { git_branch_id, project_id, status, priority, assignees, labels, sort_by, sort_order } = a;
  const asked = [git_branch_id, project_id, status, priority, assignees, labels, sort_by, sort_order, query];
  const key = JSON.stringify(['manage_task', ...asked, a.limit, a.offset, since ?? null]);
  const data = await keptListing(store, await freshSequence(store), key, async () => {
    const scope = await store.listingScope(namesOf(a));
    const filter = filterOf(scope, a, query);
    const at = scope.sequence === undefined ? {} : { sequence: scope.sequence };
    if (since === undefined) return readListing(store, filter, a, { ...at, ...echo });
    const delta = await store.changesSince(filter, since);
    if (delta.full) return readListing(store, filter, a, { ...at, full: true, why: delta.why, ...echo });
    return JSON.stringify({
      tasks: delta.tasks.map(taskJson),
      count: delta.tasks.length,
      deleted_task_ids: delta.deletedIds,
      since,
      sequence: delta.sequence,
      full: false,
      ...echo,
    });
  });
  return successOfJson(op, data);
}

/** One page of the listing, serialized, with `extra` (its sequence, why it is whole, the query) after the page. */
async function readListing(store: TaskStore, filter: TaskFilter, a: TaskArgs, extra: object): Promise<string> {
  const limit = toInt(a.limit, 'limit', 1, 100, 50);
  const offset = toInt(a.offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
  const { tasks, total } = await store.listTasks({ ...filter, limit, offset });
  return JSON.stringify({
    tasks: tasks.map(taskJson),
    count: tasks.length,
    total,
    pagination: { limit, offset, has_more: offset + tasks.length < total },
    ...extra,
  });
}
