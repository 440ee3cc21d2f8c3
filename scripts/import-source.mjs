// TypeScript source imported by a build script: bundled by esbuild into one module and loaded, so a script reads the
// project's own definitions (commands, hook events) without a TypeScript loader.
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The exports of `contents` (TypeScript resolved from `root`), built under node_modules so its packages resolve. */
export async function importSource(root, contents, name) {
  const outfile = path.join(root, 'node_modules', '.cache', `taskhooks-${name}`, `${name}-${process.pid}.mjs`);
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href).finally(() => rmSync(outfile, { force: true }));
}
