// The monitor's schedules (monitor.taskSchedule, gitSchedule, backupSchedule): node-cron expressions, matched here in
// local time read from Date. node-cron formats every date it checks with Intl.DateTimeFormat, which kept ≈ 6.5 MB of
// ICU data and code resident in a process that otherwise never touches ICU; it still runs an expression this reader
// does not know (L, W and the like), so every expression node-cron accepts keeps working.
import cron from 'node-cron';
import type { Logger } from '../../log/logger.js';

interface Field {
  min: number;
  max: number;
  names?: readonly string[];
}

const SECOND: Field = { min: 0, max: 59 };
const FIELDS: readonly Field[] = [
  SECOND,
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** Allowed values of second, minute, hour, day of month, month (1–12), day of week (0–6, Sunday 0). */
type Pattern = readonly [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];

function fieldValue(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const named = field.names?.indexOf(text.slice(0, 3).toLowerCase()) ?? -1;
  // Full names too (node-cron reads "monday"), never a prefix of another word.
  const full = named >= 0 && (text.length === 3 || /^[a-z]+$/i.test(text));
  return full ? named + (field.min === 1 ? 1 : 0) : undefined;
}

function parseField(text: string, field: Field): Set<number> | undefined {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(?:(\*)|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:\/(\d+))?$/i.exec(part);
    if (!m) return undefined;
    const step = m[4] === undefined ? 1 : Number(m[4]);
    const lo = m[1] ? field.min : fieldValue(m[2] ?? '', field);
    // A step needs a range to step through ("*/5", "10-40/5"); node-cron refuses "5/20".
    if (m[4] !== undefined && !m[1] && m[3] === undefined) return undefined;
    const hi = m[1] ? field.max : m[3] !== undefined ? fieldValue(m[3], field) : lo;
    if (lo === undefined || hi === undefined || step < 1 || lo < field.min || hi > field.max || lo > hi)
      return undefined;
    for (let v = lo; v <= hi; v += step) values.add(field.max === 7 && v === 7 ? 0 : v);
  }
  return values;
}

/** The expression's pattern, or undefined when it is not one this reader knows (node-cron may still). */
function parsePattern(expression: string): Pattern | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  const fields = parts.length === 6 ? parts : ['0', ...parts];
  const sets = fields.map((f, i) => parseField(f, FIELDS[i] ?? SECOND));
  if (sets.some((s) => s === undefined)) return undefined;
  return sets as unknown as Pattern;
}

const MAX_SEARCH_MS = 5 * 366 * 24 * 3600 * 1000;

/** The first whole second after `after` that the pattern matches (all fields, as node-cron reads them), within 5 years. */
function nextMatch(p: Pattern, after: number): number | undefined {
  const [seconds, minutes, hours, days, months, weekdays] = p;
  const d = new Date(Math.floor(after / 1000) * 1000 + 1000);
  while (d.getTime() - after <= MAX_SEARCH_MS) {
    const before = d.getTime();
    if (!months.has(d.getMonth() + 1)) {
      d.setMonth(d.getMonth() + 1, 1);
      d.setHours(0, 0, 0, 0);
    } else if (!days.has(d.getDate()) || !weekdays.has(d.getDay())) {
      d.setDate(d.getDate() + 1);
      d.setHours(0, 0, 0, 0);
    } else if (!hours.has(d.getHours())) d.setHours(d.getHours() + 1, 0, 0, 0);
    else if (!minutes.has(d.getMinutes())) d.setMinutes(d.getMinutes() + 1, 0, 0);
    else if (!seconds.has(d.getSeconds())) d.setSeconds(d.getSeconds() + 1, 0);
    else return d.getTime();
    // A clock change can move a local-time step backwards: go on from the next second instead.
    if (d.getTime() <= before) d.setTime(before + 1000);
  }
  return undefined;
}

/** When `expression` next fires after `after` (ms since the epoch); undefined for an expression neither reader knows. */
export function nextRunAfter(expression: string, after: number): number | undefined {
  const pattern = parsePattern(expression);
  if (pattern) return nextMatch(pattern, after);
  try {
    const task = cron.createTask(expression, () => undefined);
    // getNextRun() is null for a task that was never started; getNextRuns() computes from the pattern alone.
    const [next] = task.getNextRuns(1);
    void task.destroy();
    return next && next.getTime() > after ? next.getTime() : undefined;
  } catch {
    return undefined;
  }
}

export interface Schedule {
  /** When it fires next; null once stopped. */
  nextRun(): Date | null;
  stop(): Promise<void>;
}

function cronLogger(log: Logger) {
  return {
    info: (m: string) => log.info({ from: 'node-cron' }, m),
    warn: (m: string) => log.warn({ from: 'node-cron' }, m),
    error: (m: string | Error, err?: Error) => log.error({ from: 'node-cron', err: err ?? m }, String(m)),
    debug: (m: string | Error, err?: Error) => log.debug({ from: 'node-cron', err }, String(m)),
  };
}

/** setTimeout's longest delay; a later run is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs `job` whenever `expression` fires, never two at once (a firing while the last run goes on is skipped, as
 * node-cron's noOverlap does). Throws for an expression neither this reader nor node-cron accepts.
 */
export function scheduleJob(
  expression: string,
  job: () => Promise<unknown> | unknown,
  opts: { name: string; log: Logger },
): Schedule {
  const pattern = parsePattern(expression);
  if (!pattern) {
    const task = cron.schedule(expression, async () => void (await job()), {
      noOverlap: true,
      name: opts.name,
      logger: cronLogger(opts.log),
    });
    return { nextRun: () => task.getNextRun(), stop: async () => void (await task.destroy()) };
  }
  let next: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const arm = (): void => {
    if (stopped) return;
    next = nextMatch(pattern, Date.now());
    if (next === undefined) return;
    const at = next;
    const wait = (): void => {
      const left = at - Date.now();
      if (left > 0) {
        timer = setTimeout(wait, Math.min(left, MAX_TIMER_MS));
        return;
      }
      if (!running) {
        running = Promise.resolve()
          .then(job)
          .then(
            () => undefined,
            (err: unknown) => opts.log.error({ err, schedule: opts.name }, 'a scheduled job failed'),
          )
          .finally(() => {
            running = undefined;
          });
      }
      arm();
    };
    wait();
  };
  arm();
  return {
    nextRun: () => (stopped || next === undefined ? null : new Date(next)),
    // A run in flight is the caller's to wait for (the monitor drains its lane), as with node-cron.
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
