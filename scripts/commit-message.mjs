// The project's rule for a commit message: a plain subject of at most 72 characters, a blank line, then a body that
// says why. `node scripts/commit-message.mjs FILE` checks a message file (the commit-msg hook in scripts/git-hooks
// runs it: `git config core.hooksPath scripts/git-hooks`); test/foundation/commits.test.ts checks a branch's commits.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const SUBJECT_MAX = 72;

/** What is wrong with `message`, one line each; none when it keeps the rule. Git's comment lines are not the message. */
export function commitMessageProblems(message) {
  const lines = message
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.trimEnd());
  const [subject = '', blank, ...body] = lines;
  const problems = [];
  if (subject.trim() === '') problems.push('the subject is empty: say in one line what the commit does');
  if ([...subject].length > SUBJECT_MAX)
    problems.push(
      `the subject is ${[...subject].length} characters: keep it to ${SUBJECT_MAX}, the why goes in the body`,
    );
  if (/\.$/.test(subject)) problems.push('the subject ends with a full stop: drop it');
  if (blank !== undefined && blank !== '')
    problems.push('the second line is not blank: put a blank line after the subject');
  if (!body.some((l) => l.trim() !== '')) problems.push('there is no body: say why the change is made');
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node scripts/commit-message.mjs MESSAGE_FILE');
    process.exit(2);
  }
  const problems = commitMessageProblems(readFileSync(file, 'utf8'));
  for (const p of problems) console.error(`commit message: ${p}`);
  process.exit(problems.length ? 1 : 0);
}
