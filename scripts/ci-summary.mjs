// `node scripts/ci-summary.mjs LABEL=REPORT…`: vitest's JSON reports reduced to what CI shows. CI keeps only the
// last 12 kB or so of what a run prints, so the failed tests come here, each with the start of its message, and
// the closing lines last: a failure that scrolled away above would otherwise leave nothing to go on. Each tier's
// closing line says how long it took and which files took longest, where the suite's time goes.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const MAX_SHOWN = 4;
const MAX_MESSAGE = 2000;
const SLOWEST_SHOWN = 5;
// The runner's own frames say nothing about the failure and would crowd the message out.
const RUNNER_FRAME = /^\s*at .*(node_modules|<anonymous>|\(node:)/;

// A message that carries a log ends with what was expected: keep both ends.
function shorten(message) {
  if (message.length <= MAX_MESSAGE) return message;
  const half = MAX_MESSAGE / 2;
  return `${message.slice(0, half)}\n[… ${message.length - MAX_MESSAGE} characters …]\n${message.slice(-half)}`;
}

/** `8m 03s`, `41s`: whole seconds, as a person reads a run's time. */
export function duration(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** The lines of each failed test, at most MAX_SHOWN, then how many more. */
function failureLines(label, report) {
  const failed = report.testResults.flatMap((file) =>
    file.assertionResults.filter((t) => t.status === 'failed').map((test) => ({ file: file.name, test })),
  );
  const lines = failed.slice(0, MAX_SHOWN).flatMap(({ file, test }) => {
    const message = (test.failureMessages[0] ?? '')
      .split('\n')
      .filter((line) => !RUNNER_FRAME.test(line))
      .join('\n');
    return [
      `${label} FAILED ${path.relative(process.cwd(), file)} > ${test.fullName}`,
      shorten(message).replace(/^/gm, '    '),
    ];
  });
  if (failed.length > MAX_SHOWN) lines.push(`${label}: ${failed.length - MAX_SHOWN} more failed, not shown`);
  return lines;
}

/**
 * The tier's closing lines: its counts and wall time (from the run's start to its last file's end), then the files
 * that took longest, each from its start to its end (files run side by side, so these add up to more than the wall).
 */
export function closingLines(label, report) {
  const skipped = report.numPendingTests + report.numTodoTests;
  const files = report.testResults.filter((f) => f.endTime && f.startTime);
  const end = Math.max(report.startTime, ...files.map((f) => f.endTime));
  const slowest = files
    .map((f) => ({ name: path.relative(process.cwd(), f.name), ms: f.endTime - f.startTime }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, SLOWEST_SHOWN)
    .map((f) => `${f.name} ${duration(f.ms)}`);
  const counts = `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`;
  return [
    `${label}: ${counts} in ${duration(end - report.startTime)}`,
    ...(slowest.length > 0 ? [`${label} slowest: ${slowest.join(', ')}`] : []),
  ];
}

function main(args) {
  const given = args.map((arg) => {
    const [label, file] = arg.split(/=(.*)/s);
    return { label, file };
  });
  const reports = given.flatMap(({ label, file }) =>
    existsSync(file) ? [{ label, report: JSON.parse(readFileSync(file, 'utf8')) }] : [],
  );
  for (const { label, report } of reports) for (const line of failureLines(label, report)) console.log(line);
  for (const { label, file } of given.filter(({ file }) => !existsSync(file)))
    console.log(`${label}: no report: vitest ended before writing ${file}; its own output above says why`);
  for (const { label, report } of reports) for (const line of closingLines(label, report)) console.log(line);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
