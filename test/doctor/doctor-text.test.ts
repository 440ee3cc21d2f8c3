// doctor's text as a person reads it off a terminal: rows folded into short lines, each part of the hooks' row on a
// line of its own, and the tools row saying what the tools are for.
import { chmodSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { printSteps } from '../../src/cli/commands/doctor.js';
import { foldLines, type Out } from '../../src/cli/output.js';
import { makeGitWorld, type World } from '../install/cli.js';

let w: World;
beforeEach(() => {
  w = makeGitWorld();
  chmodSync(w.thHome, 0o700);
});
afterEach(() => w.cleanup());

it('puts each part of the hooks row on its own line: where, how tool calls go, how session start goes', () => {
  expect(w.run(['install']).code).toBe(0);
  expect(w.run(['monitor', 'start']).code).toBe(0);
  let stdout: string;
  try {
    ({ stdout } = w.run(['doctor']));
  } finally {
    w.run(['monitor', 'stop']);
  }
  const lines = stdout.split('\n');
  const row = lines.findIndex((l) => l.startsWith('✓ Claude Code hooks'));
  expect(row, stdout).toBeGreaterThan(-1);
  expect(lines[row]).toMatch(/settings\.local\.json: taskhooks' own, registered once$/);
  expect(lines[row + 1]).toMatch(
    /^ {36}tool calls: posted to the monitor \(pid \d+, 127\.0\.0\.1:\d+ and \S+\): no process per tool call$/,
  );
  expect(lines[row + 2]).toMatch(/^ {36}session start: handed to the monitor over /);
  expect(stdout).toMatch(
    /adapter tools .* all that taskhooks reads tasks with, among the built-in store's \d+ tools; sessions see list_tasks, add_task, update_task/,
  );
  expect(stdout).not.toMatch(/manage_/);
});

it('on a terminal, folds each row to its width, the continuation under the detail', () => {
  const written: string[] = [];
  const out = {
    stdout: { write: (t: string) => written.push(t) },
    stderr: process.stderr,
    color: false,
  } as unknown as Out;
  const detail = `/home/me/project/.claude/settings.local.json: taskhooks' own, registered once\ntool calls: ${'word '.repeat(30).trim()}`;
  printSteps(out, [{ name: 'Claude Code hooks', ok: true, ms: 3, detail }], 80);
  const lines = written.join('').split('\n').filter(Boolean);
  const indent = ' '.repeat('Claude Code hooks'.length + 14);
  expect(
    lines.filter((l) => l.length > 80 && l.slice(indent.length).includes(' ')),
    lines.join('\n'),
  ).toEqual([]);
  expect(lines.slice(1, -1).every((l) => l.startsWith(indent) && l[indent.length] !== ' ')).toBe(true);
  expect(lines).toContain(`${indent}tool calls: word word word word word word word`);
  expect(lines.at(-1)).toBe('All checks passed.');
});

it('folds at spaces, keeps a word longer than the width whole, and keeps line breaks', () => {
  expect(foldLines('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
  expect(foldLines('a /a/very/long/path b', 6)).toEqual(['a', '/a/very/long/path', 'b']);
  expect(foldLines('one\ntwo three', 20)).toEqual(['one', 'two three']);
});
