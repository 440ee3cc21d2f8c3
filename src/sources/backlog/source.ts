// Backlog.md (npm backlog.md): tasks are markdown files in the repository under backlog/, read here through the
// program's own machine output, `backlog task list --json` and `backlog task view <id> --json`.
//
// Why its CLI's JSON, and not its MCP server or the markdown files:
// - `--json` is the program's declared "versioned machine-readable output": every answer names its schemaVersion and
//   kind, so a release that changes the shape is recognised and said, not misread. Its MCP tools answer prose for a
//   model (task_list is status headings over "[HIGH] TASK-1 - Title" lines), which any release may reword.
// - Reading backlog/tasks/*.md directly would reimplement Backlog.md (its configurable directory and id prefix,
//   drafts, completed and archived tasks, YAML front matter) and break silently whenever any of it moves.
// - Speed: one run takes about as long as starting its MCP server (~0.4 s), and happens only in the network stack
//   (the monitor, or a hook's live fetch), never on a hook that reads the cache.
// - A repository is a stranger: the program is the `backlog` the user installed (on the PATH, or the project's own
//   node_modules/.bin only in a project the user trusted), never one the repository names. Reading runs nothing the
//   repository configures; changing a status would (Backlog.md runs the repository's onStatusChange shell command),
//   so this adapter only reads: tasks are changed with Backlog.md itself.
//
// Statuses are the project's own words (To Do, In Progress, Done by default, more in backlog/config.yml): they are
// read through source.statuses, then the common words (To Do → todo, In Progress → in_progress, Done → done).
import { z } from 'zod';
import { OPEN_STATUSES, TASK_PRIORITIES, comparePending, type Task, type TaskStatus } from '../../tasks/task.js';
import { TaskSourceError, notFound, protocolError } from '../../errors/task-source.js';
import type { Deadline } from '../../util/deadline.js';
import { leftOutNote, lenientList, parseAnswer, taskNameLists } from '../parse.js';
import type { ProgramOutput, ProgramRunner } from '../program.js';
import { deadlineOf, type PendingResult, type TaskSource } from '../source.js';
import { priorityFrom, statusVocabulary } from '../issues/vocabulary.js';

/** The only schema version of `--json` this adapter reads (Backlog.md 1.x). */
const SCHEMA_VERSION = 1;
const LIST = ['task', 'list', '--json'];
const view = (id: string): string[] => ['task', 'view', id, '--json'];
/** The reads this adapter relies on (what `doctor` lists once the program answers). */
const BACKLOG_COMMANDS = ['task list --json', 'task view <id> --json'] as const;

/** Said instead of an error where the repository has no Backlog.md project: nothing is wrong, there is nothing yet. */
export const noBacklogNote = 'no Backlog.md project in this repository (no backlog/ folder): `backlog init` starts one';

const BacklogTask = z.looseObject({
  id: z.string().min(1),
  title: z.string(),
  status: z.string(),
  priority: z.string().nullish(),
  description: z.string().nullish(),
  ...taskNameLists,
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  /** Unblocked, every dependency done (list answers only). */
  isReady: z.boolean().nullish(),
});
type BacklogTask = z.infer<typeof BacklogTask>;

/** What an answer taskhooks cannot read asks for: a release it reads. */
export const RELEASE_FIX =
  'use a Backlog.md 1.x release (taskhooks is tested with 1.52), or a taskhooks release that reads this version';

const Versioned = z.looseObject({ schemaVersion: z.number(), kind: z.string() });
const ListAnswer = z.looseObject({ tasks: lenientList(BacklogTask) });
const ViewAnswer = z.looseObject({ task: BacklogTask });

/** What the source's operations share; `root` follows the scope last asked about. */
interface Backlog {
  runner: ProgramRunner;
  server: string;
  statusOf: (word: string) => TaskStatus;
  root: string;
}

function toTask(b: Backlog, t: BacklogTask): Task {
  const task: Task = {
    id: t.id,
    title: t.title,
    description: t.description ?? '',
    status: b.statusOf(t.status),
    priority: priorityFrom(t.priority),
    assignees: t.assignees ?? [],
    labels: t.labels ?? [],
    dependencies: t.dependencies ?? [],
  };
  if (t.createdAt) task.createdAt = t.createdAt;
  if (t.updatedAt) task.updatedAt = t.updatedAt;
  return task;
}

/** The JSON of a successful run, of the expected kind and schema version. */
function answerOf<S extends z.ZodType>(
  server: string,
  out: ProgramOutput,
  command: string,
  kind: string,
  schema: S,
): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(out.stdout);
  } catch {
    throw protocolError(server, command, `not JSON: ${JSON.stringify(out.stdout.trim().slice(0, 80))}`);
  }
  const head = parseAnswer(Versioned, value, command, server);
  if (head.schemaVersion !== SCHEMA_VERSION || head.kind !== kind) {
    throw new TaskSourceError(
      'protocol',
      `Backlog.md answered ${command} with ${head.kind} schema version ${head.schemaVersion}; taskhooks reads ${kind} version ${SCHEMA_VERSION} (at ${server})`,
      {
        short: `unknown ${command} output version`,
        place: server,
        fix: RELEASE_FIX,
      },
    );
  }
  return parseAnswer(schema, value, command, server);
}

function failure(server: string, out: ProgramOutput, command: string): TaskSourceError {
  const said = out.stderr.trim() || out.stdout.trim() || '(nothing on stderr)';
  return new TaskSourceError(
    'server',
    `Backlog.md failed in ${command} (exit ${out.code}): ${said.split('\n')[0]?.slice(0, 200)} (at ${server})`,
    {
      short: said.slice(0, 80),
      place: server,
    },
  );
}

/** Every task of the working tree with whether it is ready, in Backlog.md's own order (its board's ordinal). */
async function list(
  b: Backlog,
  deadline: Deadline,
): Promise<{ all: Array<{ task: Task; ready: boolean }>; left: string[] } | undefined> {
  const out = await b.runner.run(LIST, { cwd: b.root, deadline });
  if (out.code !== 0) {
    if (/no backlog\.md project found/i.test(out.stderr)) return undefined;
    throw failure(b.server, out, LIST.join(' '));
  }
  const { items, left } = answerOf(b.server, out, LIST.join(' '), 'task-list', ListAnswer).tasks;
  return { all: items.map((t) => ({ task: toTask(b, t), ready: t.isReady !== false })), left };
}

async function pending(b: Backlog, deadline: Deadline): Promise<PendingResult & { next: Task | null }> {
  const listed = await list(b, deadline);
  if (!listed) return { tasks: [], next: null, note: noBacklogNote };
  const open = listed.all.filter((t) => OPEN_STATUSES.includes(t.task.status));
  // Backlog.md has no "next": the most urgent ready task not started, in board order among equals (a stable sort).
  const urgency = (t: Task): number => TASK_PRIORITIES.indexOf(t.priority);
  const startable = open.filter((t) => t.ready && t.task.status === 'todo').map((t) => t.task);
  const next = startable.sort((a, b) => urgency(b) - urgency(a))[0] ?? null;
  const note = leftOutNote(listed.left);
  return { tasks: open.map((t) => t.task).sort(comparePending), next, ...(note ? { note } : {}) };
}

async function get(b: Backlog, id: string, deadline: Deadline): Promise<Task> {
  const argv = view(id);
  const out = await b.runner.run(argv, { cwd: b.root, deadline });
  if (out.code !== 0) {
    if (/not found/i.test(out.stderr)) throw notFound('Task', id, b.server);
    throw failure(b.server, out, argv.join(' '));
  }
  return toTask(b, answerOf(b.server, out, argv.join(' '), 'task-view', ViewAnswer).task);
}

function readOnly(server: string, what: string, how: string): TaskSourceError {
  return new TaskSourceError(
    'config',
    `taskhooks only reads Backlog.md tasks (a change runs the repository's own onStatusChange command): ${what} with \`${how}\``,
    {
      short: 'read-only source',
      place: server,
      fix: `run \`${how}\` in the repository`,
    },
  );
}

// The house keeps every function under 100 lines: the factory only wires the operations, each read on its own above.
export function backlogSource(
  runner: ProgramRunner,
  opts: { root: string; defaultDeadlineMs: number; statuses: Readonly<Record<string, TaskStatus>> },
): TaskSource {
  const server = runner.server;
  const b: Backlog = { runner, server, statusOf: statusVocabulary(opts.statuses), root: opts.root };

  return {
    adapter: 'backlog',
    requiredTools: BACKLOG_COMMANDS,
    server: () => server,
    async pending(scope, o = {}) {
      b.root = scope.projectRoot;
      return pending(b, deadlineOf(o, opts.defaultDeadlineMs));
    },
    async next(scope, o = {}) {
      b.root = scope.projectRoot;
      return (await pending(b, deadlineOf(o, opts.defaultDeadlineMs))).next;
    },
    get: (id, o = {}) => get(b, id, deadlineOf(o, opts.defaultDeadlineMs)),
    async setStatus(id) {
      throw readOnly(server, 'change a status', `backlog task edit ${id} -s "In Progress"`);
    },
    async create() {
      throw readOnly(server, 'add a task', 'backlog task create "<title>"');
    },
    async listTools(o = {}) {
      const out = await runner.run(['--version'], { cwd: b.root, deadline: deadlineOf(o, opts.defaultDeadlineMs) });
      if (out.code !== 0) throw failure(server, out, '--version');
      return [...BACKLOG_COMMANDS];
    },
    close: async () => undefined,
  };
}
