// A session's work record, made when its turn is over (Stop) and when it ends (SessionEnd), without a model call: for
// each task it held, when and where it ran, the commits it made since it started, the files it left uncommitted, the
// statuses it set, the task's status and its closing words.
// Kept in the built-in store with the task (src/store/work-records.ts); the next session on the task is told of it.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { agentLabel } from '../../agents/hooks.js';
import { sessionRow } from '../../cache/live-sessions.js';
import { sessionWork, type SessionWork, type SessionOrigin } from '../../cache/session-work.js';
import { sanitize } from '../../context/sanitize.js';
import { findGitRoot } from '../../git/repo.js';
import { readSessionGit } from '../../git/work.js';
import { homeFiles } from '../../home/files.js';
import { loadTokenFormats } from '../../log/redact.js';
import { sharesWork } from '../../sources/work-sharing.js';
import { storeFileOptions } from '../../store/tasks-db/recover.js';
import { openStoreWrites } from '../../store/tasks-db/writer.js';
import type { WorkRecord } from '../../store/work-records.js';
import { lastAssistantText, readTranscriptTail } from '../../told/transcript.js';
import type { HookInput } from '../input/fields.js';
import type { HookDeps } from '../types.js';

/** Closing words are cut here: where the session left off, not its whole last answer. */
export const CLOSING_WORDS_CHARS = 400;

/** How long the record's write waits while another writer (the store server) holds the store. */
const BUSY_MS = 2000;

/** What Gemini CLI's AfterAgent says in `prompt_response` when its turn had no text: no words at all. */
const GEMINI_NO_TEXT = '[no response text]';

/**
 * The words a turn's end carries: Claude Code's Stop and SubagentStop and Codex's Stop `last_assistant_message`,
 * Gemini CLI's AfterAgent `prompt_response` (the text of the turn's answers).
 */
function wordsGiven(input: HookInput): string | undefined {
  if (typeof input.last_assistant_message === 'string') return input.last_assistant_message;
  const gemini = input.prompt_response;
  return typeof gemini === 'string' && gemini !== GEMINI_NO_TEXT ? gemini : undefined;
}

/**
 * The session's last words, cleaned like a task's title and scrubbed of secrets: from the input (`wordsGiven`), else
 * the transcript's last assistant message.
 */
export async function closingWords(input: HookInput): Promise<string | undefined> {
  const given = wordsGiven(input);
  const tail = given === undefined && input.transcript_path ? readTranscriptTail(input.transcript_path) : undefined;
  const raw = given ?? (tail === undefined ? undefined : lastAssistantText(tail));
  if (!raw?.trim()) return undefined;
  await loadTokenFormats(raw);
  return sanitize(raw, CLOSING_WORDS_CHARS) || undefined;
}

/** What a record needs of the session that the cache knew, read before SessionEnd forgets it. */
export interface WorkBasis {
  session: SessionOrigin;
  startHead?: string;
  taskIds: string[];
  statusChanges: SessionWork['statusChanges'];
}

/** The session's part of its record, or undefined when it held no task (or is not known here). */
export function workBasis(deps: HookDeps, sessionId: string): WorkBasis | undefined {
  const work = sessionWork(deps.cache, sessionId);
  // Its live row, else what its start noted: a session judged ended (its process not found) still has its record.
  const live = sessionRow(deps.cache, sessionId);
  const session = live ?? work.session;
  if (!session) return undefined;
  const taskIds = work.taskIds.length > 0 ? work.taskIds : live?.taskId ? [live.taskId] : [];
  if (taskIds.length === 0) return undefined;
  const { statusChanges } = work;
  return { session, taskIds, statusChanges, ...(work.startHead ? { startHead: work.startHead } : {}) };
}

/** What every record a session leaves says of it: who, where, when, what git says it did and its last words. */
type SessionPart = Omit<WorkRecord, 'projectId' | 'taskId' | 'statusTo' | 'statusChanges'>;

async function sessionPart(input: HookInput, deps: HookDeps, basis: WorkBasis, at: number): Promise<SessionPart> {
  const { settings, log } = deps;
  const { session } = basis;
  const root = findGitRoot(session.cwd);
  const git = root ? await readSessionGit(root, basis.startHead) : undefined;
  if (git && git.problems.length > 0) log.warn({ problems: git.problems }, 'work record: git not fully read');
  const words = settings.hooks.closingWords ? await closingWords(input) : undefined;
  return {
    sessionId: session.sessionId,
    // Named as people say it: every reader (another agent's session, the board, a teammate) shows it as is.
    agent: agentLabel(session.agent) ?? session.agent ?? '',
    branch: session.branch,
    machine: os.hostname(),
    startedAt: new Date(session.startedAt).toISOString(),
    endedAt: new Date(at).toISOString(),
    commits: git?.commits ?? [],
    uncommitted: git?.uncommitted ?? [],
    closingWords: words ?? null,
  };
}

/** The task a record is of, and its status at the session's end (null: the source's to say). */
type RecordedTask = Pick<WorkRecord, 'projectId' | 'taskId' | 'statusTo'>;

/** The session's record of each of `tasks`: its part, and the statuses it set on that task, oldest first. */
const recordsOf = (part: SessionPart, basis: WorkBasis, tasks: readonly RecordedTask[]): WorkRecord[] =>
  tasks.map((t) => ({
    ...part,
    ...t,
    statusChanges: basis.statusChanges
      .filter((c) => c.taskId === t.taskId)
      .map((c) => ({ status: c.status, at: new Date(c.at).toISOString() })),
  }));

/**
 * Writes the session's record of each task it held into the built-in store; a team's server or a tracker gets it
 * through the network (./work-shared.ts). Returns how many were written. A failure is logged: the session's end goes on.
 */
export async function recordWork(input: HookInput, deps: HookDeps, basis: WorkBasis, at: number): Promise<number> {
  const { settings, log } = deps;
  const { session } = basis;
  if (settings.source.plan.kind !== 'embedded') {
    if (!sharesWork(settings.source.plan, settings.hooks.workComments)) return 0;
    // The status at its end is the source's to say: a team's server fills it in, a tracker's issue is read.
    const tasks = basis.taskIds.map((taskId) => ({ projectId: session.project, taskId, statusTo: null }));
    const records = recordsOf(await sessionPart(input, deps, basis, at), basis, tasks);
    return (await import('./work-shared.js')).shareWork(deps, session.cwd, records);
  }
  const file = homeFiles(settings.home).tasks;
  if (!existsSync(file)) return 0;
  const part = await sessionPart(input, deps, basis, at);
  let written = 0;
  try {
    const db = openStoreWrites(file, { ...storeFileOptions(file, settings.home, log), busyTimeoutMs: BUSY_MS });
    try {
      const project = db.listProjects().find((p) => p.name === session.project);
      const tasks = (project ? basis.taskIds : []).flatMap((taskId) => {
        const task = db.getTask({ projectId: project?.id ?? '', id: taskId });
        return task ? [{ projectId: task.projectId, taskId: task.id, statusTo: task.status }] : [];
      });
      for (const record of recordsOf(part, basis, tasks)) {
        db.addWorkRecord(record);
        written++;
      }
    } finally {
      db.close();
    }
  } catch (err) {
    log.warn({ err, file }, 'work record not written: the next session on its task is not told of this one');
  }
  return written;
}
