// Bundles the hooks, the CLI/daemon and the lazily loaded network stack into dist/.
// Hooks are single files whose hot path never loads the MCP SDK, openid-client or full zod:
// anything under src/network/index is replaced by a runtime import of dist/network.js.
import { build } from 'esbuild';
import { rmSync, mkdirSync, writeFileSync, chmodSync, readdirSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
// Several test runs share this tree: build aside, then rename file by file (atomic), so a hook or CLI started
// meanwhile by another run never finds dist/ half-built.
const staging = path.join(root, `.dist-staging-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });

// esbuild's ESM output cannot `require` node builtins from bundled CommonJS (pino, etc.) without this.
const banner = {
  js: "import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);",
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  external: ['better-sqlite3'],
  banner,
  logLevel: 'warning',
};

// Modules a hook imports only on a rare path, built as files of their own so the common path does not even compile
// them: the config loader with its zod schema (a config-cache miss), the zod hook-input schema (odd input).
const HOOK_LAZY = { 'config/load': 'config-load', 'hooks/input-schema': 'hook-input' };
const lazyHookModules = {
  name: 'lazy-hook-modules',
  setup(b) {
    b.onResolve({ filter: /(^|\/)(load|input-schema)(\.js|\.ts)?$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const target = path.relative(path.join(root, 'src'), path.resolve(args.resolveDir, args.path)).replace(/\.(js|ts)$/, '');
      const out = HOOK_LAZY[target];
      return out ? { path: `./lazy/${out}.js`, external: true } : undefined;
    });
  },
};

const lazyNetwork = (fromDir) => ({
  name: 'lazy-network',
  setup(b) {
    b.onResolve({ filter: /\/network\/index(\.js|\.ts)?$/ }, () => ({
      path: path.relative(fromDir, path.join(dist, 'network.js')).replace(/^(?!\.)/, './'),
      external: true,
    }));
  },
});

await Promise.all([
  // The hooks are CommonJS (dist/hooks/package.json says so): an ES module entry costs ~10 ms more per process
  // (the ESM loader, and builtin facades that evaluate every getter, node:fs's streams included). The network
  // stack stays ESM and loads through import() only on a live fetch.
  build({
    ...common,
    format: 'cjs',
    entryPoints: {
      'hooks/session-start': 'hooks/session-start.ts',
      'hooks/pre-tool-use': 'hooks/pre-tool-use.ts',
    },
    outdir: staging,
    minify: true,
    banner: { js: "const __thImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__thImportMetaUrl' },
    // better-sqlite3's JavaScript is bundled too (its addon still loads from node_modules): resolving and
    // compiling its dozen CommonJS files one by one cost a hook ~10 ms. `bindings` is only its fallback addon
    // finder, unused since the store passes nativeBinding.
    external: ['bindings'],
    plugins: [lazyNetwork(path.join(dist, 'hooks')), lazyHookModules],
  }),
  build({
    ...common,
    format: 'cjs',
    entryPoints: Object.fromEntries(Object.entries(HOOK_LAZY).map(([src, out]) => [`hooks/lazy/${out}`, `src/${src}.ts`])),
    outdir: staging,
    minify: true,
    banner: { js: "const __thImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__thImportMetaUrl' },
  }),
  build({ ...common, entryPoints: { 'bench/minimal-hook': 'bench/minimal-hook.ts' }, outdir: staging, minify: true }),
  // The CLI (also the monitor daemon) and the network stack share one split build: the MCP SDK and zod then load
  // once per process instead of once per bundle, which is most of an idle monitor's memory.
  build({
    ...common,
    entryPoints: { cli: 'src/cli/bin.ts', install: 'install.ts', network: 'src/network/index.ts' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // The CLI reaches the MCP SDK through a dynamic import, so esbuild wraps zod in lazy initialisers; with zod's
    // "sideEffects": false it then drops the init call before config/schema.ts runs ("Class2 is not a constructor",
    // evanw/esbuild#1490, #2326). Ignoring the annotation keeps the calls.
    ignoreAnnotations: true,
    outdir: staging,
  }),
]);

for (const f of ['cli.js', 'install.js']) {
  const p = path.join(staging, f);
  chmodSync(p, 0o755);
}
writeFileSync(path.join(staging, 'BUILD'), `${new Date().toISOString()}\n`);
writeFileSync(path.join(staging, 'hooks', 'package.json'), '{ "type": "commonjs" }\n');

function moveInto(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) moveInto(path.join(from, entry.name), path.join(to, entry.name));
    else renameSync(path.join(from, entry.name), path.join(to, entry.name));
  }
}
const fresh = new Set(readdirSync(path.join(staging, 'chunks')));
moveInto(staging, dist);
// Chunk names carry content hashes: drop the previous builds' ones so dist/ does not grow with every build.
for (const f of readdirSync(path.join(dist, 'chunks'))) if (!fresh.has(f)) rmSync(path.join(dist, 'chunks', f), { force: true });
rmSync(staging, { recursive: true, force: true });
