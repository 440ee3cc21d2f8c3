// What a task-changing tool call changed, read from its answer as PostToolUse receives it. One zod/mini schema per
// shape: the ways Claude Code hands over an MCP tool's result, then each tool family's answer.
import * as z from 'zod/mini';
import type { SnapshotTaskEdit } from '../../cache/snapshots.js';
import { statusFrom } from '../../sources/issues/status-words.js';
import { TASKMASTER_STATUSES } from '../../sources/taskmaster/definition.js';
import { TRACKER_STATUSES } from '../../sources/tracker/definition.js';
import { isTaskPriority, isTaskStatus, type TaskStatus } from '../../tasks/task.js';
import { isJsonObject } from '../../util/object.js';
import type { TaskChangingCall } from './task-tools.js';
import { firstIssue } from '../input/zod-shapes.js';

/**
 * The edits the answer shows, or why it does not say enough. `malformed`: the answer was not the shape the tool
 * answers (worth a warning), as opposed to an answer that simply leaves the change unknown (a create, an error).
 */
export type TaskChange =
  | { kind: 'edits'; edits: SnapshotTaskEdit[] }
  | { kind: 'unknown'; why: string; malformed?: true };

// How Claude Code hands over an MCP tool's result: its content blocks, the whole CallToolResult, the structured
// content on its own, or the text itself.
const ContentBlocks = z.array(z.looseObject({ type: z.string(), text: z.optional(z.string()) }));
const CallToolResult = z.looseObject({
  content: ContentBlocks,
  isError: z.optional(z.boolean()),
  structuredContent: z.optional(z.record(z.string(), z.unknown())),
});

const id = z.union([z.string().check(z.minLength(1)), z.number()]);
const optionalText = z.optional(z.nullable(z.string()));

// agenthub (and the embedded store's manage_task): an envelope JSON string in content[0].text.
const AgenthubEnvelope = z.union([
  z.looseObject({ success: z.literal(true), data: z.unknown() }),
  z.looseObject({ success: z.literal(false) }),
]);
const AgenthubTaskData = z.looseObject({
  task: z.looseObject({ id, status: z.string(), title: optionalText, priority: optionalText }),
});
const AgenthubDeleteData = z.optional(z.looseObject({ task_id: z.optional(id) }));
// The tracker: the updated task as plain JSON, in its own status words.
const TrackerTask = z.looseObject({ task_id: id, status: z.string(), title: optionalText, priority: optionalText });
// Task Master: {data: …} JSON text; set_task_status reports each task it changed.
const TaskmasterSetStatus = z.looseObject({
  data: z.looseObject({ tasks: z.array(z.looseObject({ taskId: id, newStatus: z.string() })).check(z.minLength(1)) }),
});

type Payload = { ok: true; value: unknown } | { ok: false; change: TaskChange };

const malformed = (why: string): TaskChange => ({ kind: 'unknown', why, malformed: true });

function jsonText(text: string): Payload {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, change: malformed('the answer text is not JSON') };
  }
}

function firstText(blocks: z.infer<typeof ContentBlocks>): Payload {
  const text = blocks.find((b) => b.type === 'text' && b.text !== undefined)?.text;
  return text === undefined ? { ok: false, change: malformed('the answer has no text content') } : jsonText(text);
}

/** The tool's answer as the JSON value its family defines, from whichever form tool_response took. */
function payloadOf(response: unknown): Payload {
  if (typeof response === 'string') return jsonText(response);
  const blocks = ContentBlocks.safeParse(response);
  if (blocks.success) return firstText(blocks.data);
  const result = CallToolResult.safeParse(response);
  if (result.success) {
    if (result.data.isError)
      return { ok: false, change: { kind: 'unknown', why: 'the tool answered an error (isError)' } };
    return result.data.structuredContent
      ? { ok: true, value: result.data.structuredContent }
      : firstText(result.data.content);
  }
  if (isJsonObject(response)) return { ok: true, value: response };
  return {
    ok: false,
    change: malformed('tool_response is none of text, content blocks, a tool result or structured content'),
  };
}

/** One task's edit from the fields an answer gave; undefined when its status is none the family knows. */
function editOf(
  taskId: string | number,
  status: TaskStatus | undefined,
  title?: string | null,
  priority?: string | null,
): SnapshotTaskEdit | undefined {
  if (!status) return undefined;
  const edit: SnapshotTaskEdit = { id: String(taskId), status };
  if (title) edit.title = title;
  if (isTaskPriority(priority)) edit.priority = priority;
  return edit;
}

function shapeProblem(tool: string, error: z.core.$ZodError): TaskChange {
  return malformed(`${tool} answer not understood: ${firstIssue(error, 'answer')}`);
}

function edits(list: Array<SnapshotTaskEdit | undefined>, tool: string): TaskChange {
  const known = list.filter((e): e is SnapshotTaskEdit => e !== undefined);
  return known.length === list.length
    ? { kind: 'edits', edits: known }
    : malformed(`${tool} answer names a status this source does not have`);
}

/** manage_task actions whose answer says which task changed and how. */
const AGENTHUB_READABLE = new Set(['update', 'complete', 'delete']);

function agenthubChange(toolInput: Record<string, unknown>, value: unknown): TaskChange {
  const op = `manage_task ${String(toolInput.action)}`;
  const envelope = AgenthubEnvelope.safeParse(value);
  if (!envelope.success) return shapeProblem(op, envelope.error);
  if (envelope.data.success === false) return { kind: 'unknown', why: `${op} answered a failure` };
  const data = envelope.data.data;
  if (toolInput.action === 'delete') {
    // A delete's answer need not repeat the task: the call named it.
    const parsed = AgenthubDeleteData.safeParse(data);
    const taskId = (parsed.success ? parsed.data?.task_id : undefined) ?? toolInput.task_id;
    if (typeof taskId !== 'string' && typeof taskId !== 'number')
      return malformed(`${op}: neither the answer nor the call names the task`);
    return { kind: 'edits', edits: [{ id: String(taskId), removed: true }] };
  }
  const parsed = AgenthubTaskData.safeParse(data);
  if (!parsed.success) return shapeProblem(op, parsed.error);
  const { task } = parsed.data;
  return edits([editOf(task.id, isTaskStatus(task.status) ? task.status : undefined, task.title, task.priority)], op);
}

/**
 * Why no answer of this call can say what it changed, whatever it holds: a create, a dependency change (what they do to
 * the pending list and to the next task is for a fetch to say).
 */
function unreadable(call: TaskChangingCall, toolInput: Record<string, unknown>): string | undefined {
  if (call.tool === 'add_task') return 'add_task: where new tasks belong in the pending list is for a fetch to say';
  const action = toolInput.action;
  if (call.tool === 'manage_task' && !(typeof action === 'string' && AGENTHUB_READABLE.has(action))) {
    return `manage_task ${String(action)}: its effect on the pending list is for a fetch to say`;
  }
  return undefined;
}

/** What the call changed, read from its answer; a create or an answer that says too little is `unknown`. */
export function readTaskChange(
  call: TaskChangingCall,
  toolInput: Record<string, unknown> = {},
  toolResponse: unknown,
): TaskChange {
  const why = unreadable(call, toolInput);
  if (why) return { kind: 'unknown', why };
  // Backlog.md answers in prose for a model, which says no more than that something changed.
  if (call.family === 'backlog' || call.family === 'mcp' || call.family === 'github')
    return { kind: 'unknown', why: `${call.tool}: its answer is prose; a fetch says what changed` };
  const payload = payloadOf(toolResponse);
  if (!payload.ok) return payload.change;
  switch (call.family) {
    case 'agenthub':
      return agenthubChange(toolInput, payload.value);
    case 'tracker': {
      const parsed = TrackerTask.safeParse(payload.value);
      if (!parsed.success) return shapeProblem(call.tool, parsed.error);
      const t = parsed.data;
      return edits([editOf(t.task_id, statusFrom(TRACKER_STATUSES, t.status), t.title, t.priority)], call.tool);
    }
    case 'taskmaster': {
      const parsed = TaskmasterSetStatus.safeParse(payload.value);
      if (!parsed.success) return shapeProblem(call.tool, parsed.error);
      return edits(
        parsed.data.data.tasks.map((t) => editOf(t.taskId, statusFrom(TASKMASTER_STATUSES, t.newStatus))),
        call.tool,
      );
    }
    default:
      // A family whose tasks no MCP tool changes (an issue tracker read over its own API) names no call here.
      return { kind: 'unknown', why: `${call.tool}: a fetch says what changed` };
  }
}
