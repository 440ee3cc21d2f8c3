// Bundles the hooks, the CLI/daemon and the lazily loaded network stack into dist/.
// Hooks are single files whose hot path never loads the MCP SDK, openid-client or full zod:
// anything under src/live/network is replaced by a runtime import of dist/network.js.
import { build } from 'esbuild';
import { rmSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

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

const lazyNetwork = (fromDir) => ({
  name: 'lazy-network',
  setup(b) {
    b.onResolve({ filter: /\/live\/network(\.js|\.ts)?$/ }, () => ({
      path: path.relative(fromDir, path.join(dist, 'network.js')).replace(/^(?!\.)/, './'),
      external: true,
    }));
  },
});

await Promise.all([
  build({
    ...common,
    entryPoints: {
      'hooks/session-start': 'hooks/session-start.ts',
      'hooks/pre-tool-use': 'hooks/pre-tool-use.ts',
      'bench/minimal-hook': 'bench/minimal-hook.ts',
    },
    outdir: dist,
    minify: true,
    plugins: [lazyNetwork(path.join(dist, 'hooks'))],
  }),
  build({ ...common, entryPoints: { network: 'src/live/network.ts' }, outdir: dist }),
  build({
    ...common,
    entryPoints: { cli: 'src/cli/bin.ts', install: 'install.ts' },
    outdir: dist,
    plugins: [lazyNetwork(dist)],
  }),
]);

for (const f of ['cli.js', 'install.js']) {
  const p = path.join(dist, f);
  chmodSync(p, 0o755);
}
writeFileSync(path.join(dist, 'BUILD'), `${new Date().toISOString()}\n`);
