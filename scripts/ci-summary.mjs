// `node scripts/ci-summary.mjs LABEL=REPORT…`: vitest's JSON reports reduced to what CI shows. CI keeps only the
// last 12 kB or so of what a run prints, so the failed tests come here, each with the start of its message, and
// the closing lines last: a failure that scrolled away above would otherwise leave nothing to go on.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const MAX_SHOWN = 4;
const MAX_MESSAGE = 2000;
// The runner's own frames say nothing about the failure and would crowd the message out.
const RUNNER_FRAME = /^\s*at .*(node_modules|<anonymous>|\(node:)/;

// A message that carries a log ends with what was expected: keep both ends.
function shorten(message) {
  if (message.length <= MAX_MESSAGE) return message;
  const half = MAX_MESSAGE / 2;
  return `${message.slice(0, half)}\n[… ${message.length - MAX_MESSAGE} characters …]\n${message.slice(-half)}`;
}

const given = process.argv.slice(2).map((arg) => {
  const [label, file] = arg.split(/=(.*)/s);
  return { label, file };
});
const reports = given.flatMap(({ label, file }) =>
  existsSync(file) ? [{ label, report: JSON.parse(readFileSync(file, 'utf8')) }] : [],
);

for (const { label, report } of reports) {
  const failed = report.testResults.flatMap((file) =>
    file.assertionResults.filter((t) => t.status === 'failed').map((test) => ({ file: file.name, test })),
  );
  for (const { file, test } of failed.slice(0, MAX_SHOWN)) {
    const message = (test.failureMessages[0] ?? '')
      .split('\n')
      .filter((line) => !RUNNER_FRAME.test(line))
      .join('\n');
    console.log(`${label} FAILED ${path.relative(process.cwd(), file)} > ${test.fullName}`);
    console.log(shorten(message).replace(/^/gm, '    '));
  }
  if (failed.length > MAX_SHOWN) console.log(`${label}: ${failed.length - MAX_SHOWN} more failed, not shown`);
}
for (const { label, file } of given.filter(({ file }) => !existsSync(file)))
  console.log(`${label}: no report: vitest ended before writing ${file}; its own output above says why`);
for (const { label, report } of reports) {
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
}
