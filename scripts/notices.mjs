// dist/THIRD-PARTY-NOTICES: the licence of every package esbuild compiled into dist/, read from the builds' metafiles.
// The bundled code carries no comments (legalComments: 'none' keeps the hooks small), so their notices ship here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The folder of the package a bundled input belongs to (the innermost node_modules/<name>), or undefined. */
function packageDirOf(input) {
  const parts = input.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const width = parts[at + 1].startsWith('@') ? 2 : 1;
  return parts.slice(0, at + 1 + width).join('/');
}

/** The package's own licence text: LICENSE, LICENCE, COPYING, in any case and extension. */
function licenceText(dir) {
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|-|$)/i.test(f));
  return file ? readFileSync(path.join(dir, file), 'utf8').trim() : undefined;
}

/** Every bundled package of `metafiles` (esbuild's), with its version, licence and licence text, sorted by name. */
export function bundledPackages(root, metafiles) {
  const dirs = new Set();
  for (const meta of metafiles)
    for (const input of Object.keys(meta.inputs)) {
      const dir = packageDirOf(input);
      if (dir) dirs.add(dir);
    }
  const packages = new Map();
  for (const dir of dirs) {
    const abs = path.resolve(root, dir);
    if (!existsSync(path.join(abs, 'package.json'))) continue;
    const pkg = JSON.parse(readFileSync(path.join(abs, 'package.json'), 'utf8'));
    // A package's sub-folders may carry package.json files of their own (zod's v4/, say): the named one counts.
    if (!pkg.name || !dir.endsWith(pkg.name)) continue;
    const key = `${pkg.name}@${pkg.version}`;
    if (!packages.has(key))
      packages.set(key, {
        name: pkg.name,
        version: pkg.version,
        license: pkg.license ?? 'UNKNOWN',
        text: licenceText(abs),
      });
  }
  return [...packages.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The notices file: a list of the packages, then each one's licence text (or its package.json's licence field). */
export function noticesText(packages) {
  const head = [
    'taskhooks bundles the following packages into dist/ (esbuild). Their licences follow.',
    '',
    ...packages.map((p) => `- ${p.name}@${p.version} (${p.license})`),
    '',
  ];
  const bodies = packages.map((p) =>
    [
      '='.repeat(78),
      `${p.name}@${p.version} (${p.license})`,
      '='.repeat(78),
      p.text ?? `The package ships no licence file; its package.json says: ${p.license}.`,
      '',
    ].join('\n'),
  );
  return `${[...head, ...bodies].join('\n')}\n`;
}
