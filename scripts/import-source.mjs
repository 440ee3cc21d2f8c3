// TypeScript source imported by a build script: bundled by esbuild into one module and loaded, so a script reads the
// project's own definitions (commands, hook events) without a TypeScript loader.
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Bundles `input` (esbuild's `entryPoints` or `stdin`) into the one ESM module `outfile` for this Node. Packages stay
 * external and resolve from the repository's node_modules, which is why callers build under it.
 */
export async function bundleModule(input, outfile) {
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    ...input,
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

/** The exports of `contents` (TypeScript resolved from `root`), built under node_modules so its packages resolve. */
export async function importSource(root, contents, name) {
  const outfile = path.join(root, 'node_modules', '.cache', `taskhooks-${name}`, `${name}-${process.pid}.mjs`);
  await bundleModule({ stdin: { contents, resolveDir: root, loader: 'ts' } }, outfile);
  return import(pathToFileURL(outfile).href).finally(() => rmSync(outfile, { force: true }));
}
