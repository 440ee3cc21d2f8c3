// The package as `npm pack` makes it holds what its README and `taskhooks --help` point to, runs nothing of its own at
// install or pack (it ships plugin/, committed built), depends on nothing, and says where it lives.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/hooks.js';
// @ts-expect-error a plain .mjs script, run as it is by the build
import { VENDORED } from '../../scripts/plugin.mjs';

interface Packed {
  files: Array<{ path: string }>;
}

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  homepage?: string;
  repository?: unknown;
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

// Listed by npm once for the file: no test here changes what is packed, and each listing costs npm a second.
let packedFiles: string[] | undefined;
const packed = (): string[] => {
  if (packedFiles) return packedFiles;
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  packedFiles = (JSON.parse(out) as Packed[])[0]?.files.map((f) => f.path) ?? [];
  return packedFiles;
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

it('runs no script of its own at install or pack, and says where it lives', () => {
  // Any of these (build too, by that name) has `npm install -g git+<url>` install every devDependency in a clone, and
  // npm 11 then links the global install to that temporary clone: the build is committed instead (`npm run bundle`).
  for (const script of ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'build'])
    expect(pkg.scripts[script], script).toBeUndefined();
  // No public address is known: the homepage is the README the package holds.
  expect(pkg.homepage).toBe('README.md');
  expect(pkg.repository).toBeUndefined();
});

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
const packageOf = (spec: string): string =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

const BARE = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w./-]*)?$/i;

/**
 * What the shipped code loads from node_modules at run time: the bare specifiers of its `require`, `import`, `from`,
 * `createRequire(…)(…)` and `createRequire(…).resolve(…)`, less Node's own modules. Found by reading the built files,
 * whatever the sources say.
 */
function loadedAtRunTime(files: string[]): Map<string, string> {
  const calls = [
    /\b(?:require|import)\s*\(\s*(["'])([^"'\n]+)\1\s*\)/g,
    /\b(?:from|import)\s*(["'])([^"'\n]+)\1/g,
    /createRequire\)?\([^()]*\)(?:\.resolve)?\(\s*(["'])([^"'\n]+)\1/g,
  ];
  const loaded = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const call of calls)
      for (const m of text.matchAll(call)) {
        const spec = m[2] as string;
        if (!BARE.test(spec) || spec.startsWith('node:') || builtinModules.includes(packageOf(spec))) continue;
        if (!loaded.has(packageOf(spec))) loaded.set(packageOf(spec), file);
      }
  }
  return loaded;
}

it('depends on nothing: what the shipped code loads from node_modules is better-sqlite3, a clone-only devDependency', () => {
  // The packages bundled into dist/node_modules/ are found there by Node's own lookup: no dependency either.
  const shipped = packed().filter(
    (f) => f.startsWith('plugin/dist/') && !f.startsWith('plugin/dist/node_modules/') && f.endsWith('.js'),
  );
  expect(shipped.length).toBeGreaterThan(20);
  const loaded = loadedAtRunTime(shipped);
  const deps = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & {
    devDependencies: Record<string, string>;
  };
  // Nothing npm would fetch, compile or install beside the package: Node 22.13+ has SQLite built in.
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies'])
    expect(deps[field], field).toBeUndefined();
  const vendored = packed().filter((f) => /^plugin\/dist\/node_modules\/[^/]+\/package\.json$/.test(f));
  expect(vendored.map((f) => f.split('/')[3])).toEqual(Object.keys(VENDORED).sort());
  // better-sqlite3 (and its addon finder, `bindings`) loads only where src/sqlite/native.ts finds its compiled addon:
  // a clone's devDependency, on a Node without node:sqlite.
  expect(deps.devDependencies).toHaveProperty(['better-sqlite3']);
  expect(
    [...loaded.keys()].filter((name) => !(name in VENDORED)).sort(),
    JSON.stringify(Object.fromEntries(loaded)),
  ).toEqual(['better-sqlite3', 'bindings']);
});

it('ships the licence of every package compiled into dist/, each with its text', () => {
  expect(packed()).toContain('plugin/dist/THIRD-PARTY-NOTICES');
  const notices = readFileSync(path.join(ROOT, 'plugin', 'dist', 'THIRD-PARTY-NOTICES'), 'utf8');
  const dev = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    }
  ).devDependencies;
  // The libraries the bundles compile in (the rest of devDependencies are tools and test servers).
  for (const name of [
    '@modelcontextprotocol/sdk',
    'zod',
    'openid-client',
    'jose',
    'node-cron',
    'simple-git',
    'smol-toml',
    ...Object.keys(VENDORED),
  ]) {
    expect(dev, name).toHaveProperty([name]);
    const { version, license } = JSON.parse(
      readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { version: string; license: string };
    expect(notices).toContain(`- ${name}@${version} (${license})`);
  }
  expect(notices).toContain('- better-sqlite3@');
  // Each listed package has its text below the list: a heading, then the licence itself (MIT's grant, at least).
  const listed = notices.match(/^- \S+@\S+ \(/gm) ?? [];
  const headings = notices.match(/^={78}\n\S+@\S+ \(.*\)\n={78}$/gm) ?? [];
  expect(headings.length).toBe(listed.length);
  expect(notices).toContain('Permission is hereby granted, free of charge');
});
