// Why a hook answered as it did, for people: `taskhooks context` prints it. The hooks record what they found and
// decided as typed facts; the words are made here, apart from the decisions, and only when someone asks for them (a
// hook Claude Code runs never builds a sentence it would throw away).
import { formatAge } from '../util/age.js';

/** How a live fetch went (src/hooks/fetch/live-fetch.ts). */
export type FetchOutcome =
  | { via: 'off'; setting: string }
  | { via: 'breaker' }
  | { via: 'monitor'; ms: number }
  /** The built-in store read in the hook's own process. */
  | { via: 'store'; ms: number }
  | { via: 'monitor-failed'; error: string }
  | { via: 'live'; ms: number; setting: string; budgetMs: number }
  | { via: 'live-failed'; ms: number; problem: string }
  | { via: 'shared'; ms: number; before: boolean }
  | { via: 'shared-failed'; error: string }
  /** Nobody answered in time: the monitor, another session, or no time was left to ask. */
  | { via: 'silent'; who: 'monitor' | 'session' | 'none'; budgetMs: number };

/** What the cached snapshot was when SessionStart read it. */
export type CachedTasks =
  | { state: 'none' }
  | { state: 'fresh'; ageMs: number; ttlSeconds: number }
  | { state: 'changed'; ageMs: number; changedAgoMs: number }
  | { state: 'expired'; ageMs: number; ttlSeconds: number };

export type Fact =
  /** The pipeline answered before the event ran. */
  | { kind: 'input-refused'; reason: string }
  | { kind: 'not-wanted'; hook: string; under: 'input' | 'settings' }
  | { kind: 'answered-elsewhere'; hook: string }
  | { kind: 'rescued' }
  | { kind: 'no-sqlite'; reason: string }
  | { kind: 'no-cwd' }
  | { kind: 'stray-hooks'; ports: number[]; monitorPort: number | null | undefined; ended?: number }
  | { kind: 'missed-hooks'; ports: number[]; expected: number | null | undefined }
  | { kind: 'store-squat'; port: number; uid: number; ended?: number }
  | { kind: 'no-session'; alsoCwd: boolean }
  | { kind: 'scope'; project: string; branch: string; root?: string; source?: string }
  /** PreToolUse: the snapshot it read (none, or when it was fetched and whether a change came after). */
  | { kind: 'snapshot'; fetchedAt?: number; stale?: boolean }
  | { kind: 'tool-ignored'; tool: string | undefined; why: 'not-watched' | 'no-task-change' }
  | { kind: 'bash-no-git' }
  | { kind: 'bash-unread'; read: boolean }
  | { kind: 'offline'; cached?: CachedTasks }
  | { kind: 'cached-tasks'; cached: CachedTasks }
  | { kind: 'fetched'; outcome: FetchOutcome; cached?: CachedTasks }
  | { kind: 'in-progress'; id?: string; unknown: boolean }
  | { kind: 'policy'; decision?: string; reason?: string }
  | { kind: 'reminder'; said: 'repeat' | 'first' | 'changed' | 'none' }
  | { kind: 'claims-elsewhere'; taskIds: string[] }
  | { kind: 'git'; read: 'cached'; ttlSeconds: number }
  | { kind: 'git'; read: 'afresh' | 'no-repo' }
  | { kind: 'git'; read: 'refused'; reason: string }
  | { kind: 'told-once'; what: 'alerts' | 'notices'; count: number; preview: boolean }
  /** Told at every start while it holds: a guard the installed hooks cannot apply, a monitor that does not answer. */
  | { kind: 'warned'; what: Array<'unguarded-install' | 'silent-monitor'> }
  | { kind: 'rendered'; chars: number; budget: number; omitted: string[] }
  | { kind: 'patched'; ids: string[]; unknown: string[] }
  | { kind: 'marked-stale'; reason: string }
  | { kind: 'store-told' }
  | { kind: 'news'; changes?: number }
  | { kind: 'retold'; what: 'session-start' }
  | { kind: 'session-ended'; reason: string; forgotten?: number }
  | { kind: 'work-recorded'; recorded: number }
  | { kind: 'subagent'; held?: string; inProgress?: string };

export type Trace = Fact[];

function fetchWords(o: FetchOutcome): string {
  switch (o.via) {
    case 'off':
      return `live fetch off (${o.setting} = 0)`;
    case 'breaker':
      return 'circuit breaker open, no attempt made';
    case 'monitor':
      return `fetched by the monitor on request in ${o.ms} ms`;
    case 'monitor-failed':
      return `the monitor's fetch failed: ${o.error}`;
    case 'store':
      return `read from the built-in store here in ${o.ms} ms`;
    case 'live':
      return `fetched live in ${o.ms} ms (${o.setting} ${o.budgetMs} ms)`;
    case 'live-failed':
      return `live fetch failed after ${o.ms} ms: ${o.problem}`;
    case 'shared':
      return o.before
        ? `fetched by another session ${o.ms} ms ago, waited for it`
        : `fetched by another session, waited ${o.ms} ms for it`;
    case 'shared-failed':
      return `another session's fetch failed: ${o.error}`;
    case 'silent':
      return o.who === 'monitor'
        ? `the monitor's fetch gave no answer within ${o.budgetMs} ms`
        : o.who === 'session'
          ? `another session's fetch gave no answer within ${o.budgetMs} ms`
          : `no time left for a live fetch within ${o.budgetMs} ms`;
  }
}

function cachedWords(c: CachedTasks): string {
  switch (c.state) {
    case 'none':
      return 'no cached snapshot';
    case 'fresh':
      return `cached snapshot is ${formatAge(c.ageMs)} old, within cache.taskTtlSeconds (${c.ttlSeconds} s): no network call`;
    case 'changed':
      return `cached snapshot is ${formatAge(c.ageMs)} old and a change was made ${formatAge(c.changedAgoMs)} ago`;
    case 'expired':
      return `cached snapshot is ${formatAge(c.ageMs)} old (TTL ${c.ttlSeconds} s)`;
  }
}

const OFFLINE = 'no live fetch from here (a preview with --offline)';

const REMINDER_WORDS: Record<Extract<Fact, { kind: 'reminder' }>['said'], string> = {
  repeat: 'reminder: already given for this task in this session',
  first: 'reminder: first edit, commit or push of the session',
  changed: 'reminder: task in progress changed',
  none: 'reminder: no task in progress',
};

/** The sentence each kind of fact makes, one entry per kind: a new kind fails to compile until it has its words. */
const SENTENCES: { [K in Fact['kind']]: (f: Extract<Fact, { kind: K }>) => string } = {
  'input-refused': (f) => f.reason,
  'not-wanted': (f) =>
    `${f.hook}: nothing ${f.under === 'input' ? 'to say about this input' : 'to do under these settings'}`,
  'answered-elsewhere': (f) => `${f.hook}: another registration of taskhooks answers this very event`,
  rescued: () => 'the run failed; the guards answered from the settings alone',
  'no-sqlite': (f) => f.reason,
  'no-cwd': () => 'hook input has no cwd',
  'stray-hooks': (f) =>
    `hooks post to 127.0.0.1:${f.ports.join(', ')}, where another process listens (the monitor: ${f.monitorPort ?? 'none'}): session stopped${f.ended === undefined ? '' : `, its process ${f.ended} ended`}`,
  'missed-hooks': (f) =>
    f.ports.length > 0
      ? `hooks post to 127.0.0.1:${f.ports.join(', ')}, where nothing answers (the monitor: ${f.expected ?? 'none'}): told the session`
      : 'hooks carry an old hook token: told the session',
  'store-squat': (f) =>
    `task tools on 127.0.0.1:${f.port}, which uid ${f.uid} holds: session stopped${f.ended === undefined ? '' : `, its process ${f.ended} ended`}`,
  'no-session': (f) =>
    f.alsoCwd ? 'no usable session_id or cwd: nothing said' : 'no usable session_id: nothing to end',
  scope: (f) =>
    `scope: project ${f.project}, branch ${f.branch || '(none)'}${f.root ? `, root ${f.root}` : ''}${f.source ? `, source ${f.source}` : ''}`,
  snapshot: (f) =>
    f.fetchedAt === undefined
      ? 'snapshot: none cached'
      : `snapshot: from ${new Date(f.fetchedAt).toISOString()}${f.stale ? ', a change made since' : ''}`,
  'tool-ignored': (f) =>
    f.why === 'not-watched'
      ? `tool ${f.tool ?? '(none)'}: not an edit, commit or push; nothing to say`
      : `tool ${f.tool ?? '(none)'}: changes no task of the configured source`,
  'bash-no-git': () => 'Bash: runs no git commit or push; nothing to say',
  'bash-unread': (f) =>
    `Bash: ${f.read ? 'nothing to say' : 'not read'} (no push guard is on, and no reminder is due in this session)`,
  offline: (f) =>
    f.cached ? `tasks: ${cachedWords(f.cached)}; ${OFFLINE}` : `tasks: ${OFFLINE}: the reminder may name the old state`,
  'cached-tasks': (f) => `tasks: ${cachedWords(f.cached)}`,
  fetched: (f) => `tasks: ${f.cached ? `${cachedWords(f.cached)}; ` : ''}${fetchWords(f.outcome)}`,
  'in-progress': (f) => `in progress: ${f.id ?? (f.unknown ? 'unknown (the source answers in prose)' : 'none')}`,
  policy: (f) => (f.decision ? `policy: ${f.decision} — ${f.reason ?? ''}` : 'policy: no guard spoke'),
  reminder: (f) => REMINDER_WORDS[f.said],
  'claims-elsewhere': (f) => `claims: ${f.taskIds.join(', ')} held by other live sessions`,
  git: (f) =>
    f.read === 'cached'
      ? `git: cached state younger than cache.gitTtlSeconds (${f.ttlSeconds} s)`
      : f.read === 'afresh'
        ? 'git: read afresh'
        : f.read === 'refused'
          ? `git: not read, ${f.reason}`
          : 'git: not a git repository',
  'told-once': (f) =>
    f.what === 'alerts'
      ? `alerts: ${f.count} not shown before${f.preview ? ' (left unshown by this preview)' : ''}`
      : `notices: ${f.count} to tell once${f.preview ? ' (left untold by this preview)' : ''}`,
  warned: (f) => `warned: ${f.what.join(', ')}`,
  rendered: (f) =>
    `render: ${f.chars} of ${f.budget} characters (hooks.contextBudget)${f.omitted.length ? `; left out: ${f.omitted.join(', ')}` : ''}`,
  patched: (f) =>
    `patched: ${f.ids.join(', ') || 'none'}${f.unknown.length > 0 ? `; not in the snapshot, so it is stale now: ${f.unknown.join(', ')}` : ''}`,
  'marked-stale': (f) => `stale now: ${f.reason}`,
  'store-told': () => 'the built-in store wrote the change to the cache itself: nothing marked stale',
  retold: () => 'session start: its context did not arrive, so it is told again (once)',
  news: (f) =>
    f.changes === undefined
      ? 'first prompt of the session: baseline recorded, nothing said'
      : `${f.changes} change(s) since last told`,
  'session-ended': (f) =>
    f.forgotten === undefined
      ? `the session would end (reason ${f.reason})`
      : `session ended (reason ${f.reason}): ${f.forgotten} remembered injection(s) forgotten`,
  'work-recorded': (f) => `turn over: ${f.recorded} work record(s) written`,
  subagent: (f) =>
    f.held
      ? `the parent session holds ${f.held}`
      : f.inProgress
        ? `the branch's task in progress is ${f.inProgress}`
        : 'the parent session holds no task and none is in progress on the branch: nothing to say',
};

function sentence(f: Fact): string {
  // TypeScript cannot tie the entry to the fact's own kind (a correlated union): the table's type holds that instead.
  return (SENTENCES[f.kind] as (fact: Fact) => string)(f);
}

/** One line per fact, in the order they were recorded. */
export function explain(trace: readonly Fact[]): string[] {
  return trace.map(sentence);
}
