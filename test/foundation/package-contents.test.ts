// The package as `npm pack` makes it holds what its README and `taskhooks --help` point to, runs nothing of its own at
// install (the build is `prepack`'s), and says where it lives and what npm asks before better-sqlite3's script runs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/hooks.js';

interface Packed {
  files: Array<{ path: string }>;
}

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  homepage?: string;
  repository?: unknown;
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

// The contents only: --ignore-scripts leaves the build (prepack) to the test run's own, already done.
const packed = (): string[] => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return (JSON.parse(out) as Packed[])[0]?.files.map((f) => f.path) ?? [];
};

it('holds every file the README links to, the docs --help names, and the CLI', () => {
  const files = new Set(packed());
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(((?:docs\/|ARCHITECTURE)[^)#\s]*)/g)].map((m) => m[1] as string);
  expect(links.length).toBeGreaterThan(10);
  for (const link of links) expect(files, link).toContain(link);
  expect(files).toContain('README.md');
  expect(files).toContain('docs/cli.md');
  for (const bin of Object.values(pkg.bin)) expect(files).toContain(bin);
  expect([...files].filter((f) => f.startsWith('scripts/') || f.startsWith('test/') || f.startsWith('src/'))).toEqual(
    [],
  );
});

it('builds in prepack, runs no script of its own at install, and says where it lives', () => {
  for (const install of ['preinstall', 'install', 'postinstall', 'prepare'])
    expect(pkg.scripts[install], install).toBeUndefined();
  expect(pkg.scripts.prepack).toBe('node scripts/build.mjs');
  // No public address is known: the homepage is the README the package holds.
  expect(pkg.homepage).toBe('README.md');
  expect(pkg.repository).toBeUndefined();
  expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toMatch(/--allow-scripts=better-sqlite3/);
});
