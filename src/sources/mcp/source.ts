// Any MCP server, without code: one configured tool (source.tool) is called with its arguments, and its answer becomes
// the session's task section. As it comes — text, JSON text or structured content — it is shown as the server words it
// (cleaned and cut to the context budget when rendered). Where it is JSON and source.tool.tasks says where the list and
// each task's fields are (RFC 6901 pointers), its items become real tasks, so PreToolUse names the task in progress too.
//
// Statuses are the server's own words, read through source.statuses, then the common words (pending → todo,
// in-progress → in_progress, completed → done, …); a word neither knows counts as open work not started (todo).
import jsonpointer from 'jsonpointer';
import type { ToolAnswer } from '../../mcp/client.js';
import type { ToolSession } from '../../resilience/tool-session.js';
import { OPEN_STATUSES, comparePending, type Task, type TaskStatus } from '../../tasks/task.js';
import type { Scope } from '../../tasks/scope.js';
import { TaskSourceError, protocolError } from '../../errors/task-source.js';
import type { Deadline } from '../../util/deadline.js';
import type { TaskPointers, ToolQuery } from '../plan.js';
import { deadlineOf, type PendingResult, type TaskSource } from '../source.js';
import { priorityFrom, statusVocabulary } from '../issues/vocabulary.js';

/** What is kept of a text answer: more than any context budget shows (9000), less than a runaway answer. */
export const MAX_ANSWER_CHARS = 20_000;

/** `{projectRoot}`, `{project}` and `{branch}` in the configured arguments' strings, however deep. */
export function withScope(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\{(projectRoot|project|branch)\}/g,
      (_, name: 'projectRoot' | 'project' | 'branch') => scope[name],
    );
  }
  if (Array.isArray(value)) return value.map((v) => withScope(v, scope));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withScope(v, scope)]));
  return value;
}

/** The value at an RFC 6901 pointer; undefined where there is none. */
function at(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  return value !== null && typeof value === 'object' ? (jsonpointer.get(value, pointer) as unknown) : undefined;
}

/** The answer's JSON: its structured content (the machine-readable form), else its text parsed. */
function jsonOf(answer: ToolAnswer): { ok: true; value: unknown } | { ok: false } {
  if (answer.structured !== undefined) return { ok: true, value: answer.structured };
  const text = answer.texts.join('\n').trim();
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The answer as a person would read it: its texts, else its structured content laid out. */
export function answerText(answer: ToolAnswer): string {
  const text =
    answer.texts.join('\n').trim() ||
    (answer.structured === undefined ? '' : JSON.stringify(answer.structured, null, 2));
  return text.length > MAX_ANSWER_CHARS ? `${text.slice(0, MAX_ANSWER_CHARS)}\n…` : text;
}

const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;

/** The items at `pointers.list` as tasks, open ones only; items without an id or a title are counted, not guessed. */
export function tasksOf(
  value: unknown,
  pointers: TaskPointers,
  statusOf: (word: string | null | undefined) => TaskStatus,
  where: { tool: string; server: string },
): { tasks: Task[]; skipped: number } {
  const list = at(value, pointers.list);
  if (!Array.isArray(list)) {
    const found =
      list === undefined
        ? 'nothing'
        : list === null
          ? 'null'
          : typeof list === 'object'
            ? 'an object'
            : `a ${typeof list}`;
    throw protocolError(
      where.server,
      where.tool,
      `source.tool.tasks.list "${pointers.list}" finds ${found}, not a list`,
    );
  }
  const tasks: Task[] = [];
  let skipped = 0;
  for (const item of list) {
    const id = scalar(at(item, pointers.id));
    const title = scalar(at(item, pointers.title));
    if (id === undefined || title === undefined) {
      skipped++;
      continue;
    }
    const status = at(item, pointers.status);
    const description = at(item, pointers.description);
    tasks.push({
      id,
      title,
      description: typeof description === 'string' ? description : '',
      status: statusOf(typeof status === 'string' ? status : undefined),
      priority: priorityFrom(at(item, pointers.priority)),
      assignees: [],
      labels: [],
      dependencies: [],
    });
  }
  return { tasks: tasks.filter((t) => OPEN_STATUSES.includes(t.status)).sort(comparePending), skipped };
}

/** What the generic source reads with: the tool session, the configured tool and its status words. */
interface GenericReader {
  readonly toolSession: ToolSession;
  readonly tool: ToolQuery;
  readonly statusOf: (word: string | null | undefined) => TaskStatus;
}

/** The configured tool's answer for `scope`: its text as the server words it, or its tasks where pointers say where. */
async function pendingOf(
  reader: GenericReader,
  scope: Scope,
  deadline: Deadline,
): Promise<PendingResult & { next: null }> {
  const { toolSession, tool } = reader;
  const args = withScope(tool.args, scope) as Record<string, unknown>;
  const answer = await toolSession.callAnswer(tool.name, args, { deadline });
  const server = toolSession.server();
  if (!tool.tasks) {
    const text = answerText(answer);
    return text ? { tasks: [], text, next: null } : { tasks: [], next: null, note: `${tool.name} answered nothing` };
  }
  const json = jsonOf(answer);
  if (!json.ok) throw notJson(tool.name, server);
  const { tasks, skipped } = tasksOf(json.value, tool.tasks, reader.statusOf, { tool: tool.name, server });
  const note =
    skipped > 0
      ? `${skipped} item(s) of ${tool.name} without an id or a title (source.tool.tasks) not shown`
      : undefined;
  return note ? { tasks, next: null, note } : { tasks, next: null };
}

function notJson(tool: string, server: string): TaskSourceError {
  return new TaskSourceError(
    'protocol',
    `Task server answered ${tool} with text that is not JSON, where source.tool.tasks expects JSON (at ${server})`,
    {
      short: `${tool} answer is not JSON`,
      place: server,
      fix: 'remove source.tool.tasks to show the answer as the server words it, or call a tool that answers JSON',
    },
  );
}

/** What the generic source says to a write: it only reads the configured tool. */
function onlyReads(reader: GenericReader, what: string): TaskSourceError {
  return new TaskSourceError(
    'config',
    `The generic MCP adapter only reads ${reader.tool.name}'s answer: it cannot ${what}; use the server's own tools`,
    { short: `cannot ${what}`, place: reader.toolSession.server() },
  );
}

export function genericSource(
  toolSession: ToolSession,
  opts: { tool: ToolQuery; defaultDeadlineMs: number; statuses: Readonly<Record<string, TaskStatus>> },
): TaskSource {
  const reader: GenericReader = { toolSession, tool: opts.tool, statusOf: statusVocabulary(opts.statuses) };
  return {
    adapter: 'mcp',
    requiredTools: [opts.tool.name],
    server: () => toolSession.server(),
    pending: (scope, o = {}) => pendingOf(reader, scope, deadlineOf(o, opts.defaultDeadlineMs)),
    async next(scope, o = {}) {
      const { tasks } = await pendingOf(reader, scope, deadlineOf(o, opts.defaultDeadlineMs));
      return tasks.find((t) => t.status !== 'blocked') ?? null;
    },
    async get() {
      throw onlyReads(reader, 'show a single task');
    },
    async setStatus() {
      throw onlyReads(reader, 'change a status');
    },
    async create() {
      throw onlyReads(reader, 'add a task');
    },
    listTools: (o = {}) => toolSession.listTools({ deadline: deadlineOf(o, opts.defaultDeadlineMs) }),
    close: () => toolSession.close(),
  };
}
