// When a due date has passed: one rule for the session's context and the CLI's table, kept out of fields.ts so the
// hot hooks' bundles load only this line.

/** Whether a due date's day has passed at `now` (UTC, where the hooks and the CLI count days). */
export const isOverdue = (due: string, now: number): boolean =>
  due.slice(0, 10) < new Date(now).toISOString().slice(0, 10);
