// Task servers' call times as a labelled figure: a legend for the two bars, a bar pair per server, and an axis in
// milliseconds whose end is a round number. An SVG drawn here, no chart library.
import { esc } from './html.js';
import type { CacheView } from './state.js';

/** The axis' length in px; the text after each bar fits in the rest of the width. */
const AXIS = 300;
const WIDTH = 460;
const LEGEND_H = 22;
const ROW_H = 34;
const AXIS_H = 40;

/** The slowest p95 rounded up to 1, 2 or 5 times a power of ten, so the ticks read as round numbers. */
export function axisEnd(ms: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, ms)));
  return [1, 2, 5].map((f) => f * power).find((v) => v >= ms) ?? 10 * power;
}

const legend = `<g class="legend"><rect class="mean" x="0" y="5" width="14" height="6"/><text x="18" y="12">mean</text>
<rect class="p95" x="64" y="5" width="14" height="6"/><text x="82" y="12">p95 (95 % of calls took less)</text></g>`;

function axis(y: number, end: number): string {
  const ticks = [0, end / 2, end].map((ms, i) => {
    const x = Math.round((ms / end) * AXIS);
    const anchor = ['start', 'middle', 'end'][i];
    return `<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 4}"/><text x="${x}" y="${y + 15}" text-anchor="${anchor}">${esc(ms)} ms</text>`;
  });
  return `<g class="axis"><line x1="0" y1="${y}" x2="${AXIS}" y2="${y}"/>${ticks.join('')}
<text x="${AXIS / 2}" y="${y + 31}" text-anchor="middle">time per call, in milliseconds</text></g>`;
}

export function timings(view: CacheView): string {
  if (view.metrics.length === 0) return '<p>No task server calls recorded yet.</p>';
  const end = axisEnd(Math.max(...view.metrics.map((m) => m.p95Ms)));
  const w = (ms: number): number => Math.max(1, Math.round((ms / end) * AXIS));
  const bars = view.metrics.map((m, i) => {
    const y = LEGEND_H + i * ROW_H;
    const mean = esc(Math.round(m.meanMs));
    const p95 = esc(Math.round(m.p95Ms));
    return `<text x="0" y="${y + 12}">${esc(m.server.slice(0, 60))}: ${m.calls} calls, ${m.failures} failed</text>
<rect class="mean" x="0" y="${y + 16}" width="${w(m.meanMs)}" height="6"><title>mean ${mean} ms</title></rect>
<rect class="p95" x="0" y="${y + 24}" width="${w(m.p95Ms)}" height="6"><title>p95 ${p95} ms</title></rect>
<text x="${w(m.p95Ms) + 6}" y="${y + 30}">mean ${mean} ms, p95 ${p95} ms</text>`;
  });
  const height = LEGEND_H + view.metrics.length * ROW_H + AXIS_H;
  return `<figure class="chart-figure"><svg class="chart" role="img" aria-labelledby="chart-caption" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${legend}${bars.join('')}${axis(height - AXIS_H + 2, end)}</svg>
<figcaption id="chart-caption">Each task server's call time: the mean and the 95th percentile (p95), in milliseconds.</figcaption></figure>`;
}
