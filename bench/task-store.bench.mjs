// What keeping the task store safe costs on 10,000 tasks: plain milliseconds (and per task), not ratios to node,
// measured in-process by dist/bench/task-store.js so process start-up is not in the figures.
import path from 'node:path';
import { node, root, runOnce } from './lib.mjs';

const { stdout } = runOnce(node, [path.join(root, 'dist/bench/task-store.js')]);
const r = JSON.parse(stdout);
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const line = (label, ms, perTask = true) =>
  console.log(
    `${label.padEnd(64)} ${ms.toFixed(1).padStart(7)} ms${perTask ? `   ${((ms * 1000) / r.tasks).toFixed(2)} µs per task` : ''}`,
  );
console.log(
  `task store of ${r.tasks.toLocaleString('en')} tasks (${mb(r.bytes)}), medians of ${r.runs} runs, in-process:`,
);
line('backup: online backup API, then quick_check, fsync, rename', r.backup);
line('backup at once (before a migration): serialize, checked', r.atOnce);
line(`export: every row read, JSON written (${mb(r.exportBytes)})`, r.exported);
line('import of that export into an empty store', r.imported);
line('open: migrations current, lost-WAL check, quick_check', r.open);
line('quick_check alone, the file in the page cache', r.check);
