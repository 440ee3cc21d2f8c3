/** "12 min ago", "3 h ago": ages people read at a glance. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * "5 seconds ago", "3 minutes ago", "1 year, 2 months ago": git's own relative dates (date.c, show_date_relative),
 * rounded as git rounds them, so a commit's age reads as `git log --date=relative` would print it at that moment.
 * Written out rather than Intl.RelativeTimeFormat: loading ICU's data costs a cold hook ~25 ms.
 */
export function gitRelativeAge(ms: number): string {
  let d = Math.floor(ms / 1000);
  if (d < 0) return 'in the future';
  if (d < 90) return `${plural(d, 'second')} ago`;
  d = Math.floor((d + 30) / 60);
  if (d < 90) return `${plural(d, 'minute')} ago`;
  d = Math.floor((d + 30) / 60);
  if (d < 36) return `${plural(d, 'hour')} ago`;
  d = Math.floor((d + 12) / 24);
  if (d < 14) return `${plural(d, 'day')} ago`;
  if (d < 70) return `${plural(Math.floor((d + 3) / 7), 'week')} ago`;
  if (d < 365) return `${plural(Math.floor((d + 15) / 30), 'month')} ago`;
  if (d < 1825) {
    const totalMonths = Math.floor((d * 12 * 2 + 365) / (365 * 2));
    const years = Math.floor(totalMonths / 12);
    const months = totalMonths % 12;
    return months ? `${plural(years, 'year')}, ${plural(months, 'month')} ago` : `${plural(years, 'year')} ago`;
  }
  return `${plural(Math.floor((d + 183) / 365), 'year')} ago`;
}
