// The helpers never install a Debian package silently: the line saying what and why comes before apt-get runs (a
// fake apt-get on PATH records its calls beside the line).
import { appendFileSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { tempDir } from '../foundation/helpers.js';
import { ensureDebianPackage } from './debian.js';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  vi.unstubAllEnvs();
  tmp?.remove();
});

function fakeAptGet(): { log: string; installed: string } {
  tmp = tempDir('th-apt-');
  const log = path.join(tmp.dir, 'log');
  const installed = path.join(tmp.dir, 'installed');
  const bin = path.join(tmp.dir, 'apt-get');
  writeFileSync(bin, `#!/bin/sh\necho "apt-get $*" >> '${log}'\n[ "$1" = install ] && touch '${installed}'\nexit 0\n`);
  chmodSync(bin, 0o755);
  vi.stubEnv('PATH', `${tmp.dir}${path.delimiter}${process.env.PATH ?? ''}`);
  return { log, installed };
}

it('says what it installs and why, on one line, before apt-get runs; then the package is there', () => {
  const { log, installed } = fakeAptGet();
  const pkg = { name: 'pgbouncer', neededBy: 'the pooled tests', present: () => existsSync(installed) };
  expect(ensureDebianPackage(pkg, { root: true, say: (line) => appendFileSync(log, `${line}\n`) })).toBe(true);
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  expect(lines[0]).toMatch(
    /^taskhooks tests: installing the Debian package pgbouncer .* for the pooled tests: it is missing and the tests run as root$/,
  );
  expect(lines.slice(1)).toEqual(['apt-get update', 'apt-get install -y --no-install-recommends pgbouncer']);
});

it('installs nothing and says nothing when the package is there, or when not root', () => {
  const { log } = fakeAptGet();
  const said: string[] = [];
  const say = (line: string): void => void said.push(line);
  expect(ensureDebianPackage({ name: 'x', neededBy: 'y', present: () => true }, { root: true, say })).toBe(true);
  expect(ensureDebianPackage({ name: 'x', neededBy: 'y', present: () => false }, { root: false, say })).toBe(false);
  expect(said).toEqual([]);
  expect(existsSync(log)).toBe(false);
});
