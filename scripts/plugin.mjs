// The plugin folder (plugin/): what Claude Code copies when it installs taskhooks from the repository's git URL, and
// what `npm install -g git+<url>` packs. It is committed, built: neither route builds anything, so it holds the
// bundles, the plugin's manifest and hooks, and a package.json with no dependencies (pino and pg are bundled under
// dist/node_modules/, SQLite is Node's own or the optional better-sqlite3). test/foundation/plugin-folder.test.ts
// fails when it differs from a fresh build.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The plugin folder, relative to the repository. */
export const PLUGIN_DIR = 'plugin';

/** Files of the repository copied into the plugin folder as they are: its manifest, hooks and licence. */
export const PLUGIN_FILES = [
  '.claude-plugin/plugin.json',
  '.claude-plugin/icon.png',
  'hooks/hooks.json',
  'hooks/socket-post.pl',
  'hooks/monitor-wait.pl',
  'hooks/mcp-bridge',
  'hooks/mcp-bridge.pl',
  'hooks/mcp-bridge.cmd',
  'monitors/monitors.json',
  'LICENSE',
];

/** What of a build is not the plugin's: the benchmarks' entries, and BUILD (it carries the time of the build). */
const NOT_SHIPPED = new Set(['bench', 'BUILD']);

/**
 * Packages the built code loads with `require`/`import()` at run time that a plugin copy has no node_modules for: each
 * bundled into one file as dist/node_modules/<name>/, which Node's own lookup finds from every bundle under dist/.
 */
export const VENDORED = {
  // thread-stream serves pino.transport, which taskhooks never calls; sonic-boom asserts once, as it closes.
  pino: { entry: 'node_modules/pino/pino.js', external: [], atFirstUse: ['thread-stream', 'assert'] },
  // pg-native is pg's optional native client, loaded only when asked for (pg.native): never by taskhooks.
  pg: { entry: 'node_modules/pg/lib/index.js', external: ['pg-native'] },
};

/**
 * Modules a vendored package requires as it loads but calls later, if ever, required at their first call instead: a
 * stand-in function does the `require` (esbuild runs a bundled module's code where it is first required). Every
 * process that logs loads pino, the idle monitor among them, and these held about 0.4 MB of it there.
 */
const atFirstUse = (names) => ({
  name: 'at-first-use',
  setup(b) {
    const filter = new RegExp(`^(${names.join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'at-first-use'
        ? undefined
        : { path: args.path, namespace: 'at-first-use', pluginData: { resolveDir: args.resolveDir } },
    );
    b.onLoad({ filter: /.*/, namespace: 'at-first-use' }, (args) => ({
      // Called or constructed (`new ThreadStream(...)`), it answers what the module itself would.
      contents: `module.exports = function (...args) { const m = require(${JSON.stringify(args.path)}); return new.target ? new m(...args) : m(...args); };`,
      loader: 'js',
      resolveDir: args.pluginData.resolveDir,
    }));
  },
});

/** esbuild options bundling each VENDORED package into `<outdir>/node_modules/<name>/index.js`, CommonJS. */
export function vendoredBuilds(common, outdir) {
  return Object.entries(VENDORED).map(([name, { entry, external, atFirstUse: names = [] }]) => ({
    ...common,
    banner: {},
    define: {},
    format: 'cjs',
    minify: true,
    entryPoints: [entry],
    external,
    plugins: names.length > 0 ? [atFirstUse(names)] : [],
    outfile: path.join(outdir, 'node_modules', name, 'index.js'),
  }));
}

/** The package.json beside each vendored bundle: its name, version and licence, and the file Node loads. */
export function writeVendoredManifests(root, outdir) {
  for (const name of Object.keys(VENDORED)) {
    const { version, license } = JSON.parse(
      readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8'),
    );
    writeFileSync(
      path.join(outdir, 'node_modules', name, 'package.json'),
      `${JSON.stringify({ name, version, license, main: 'index.js' }, null, 2)}\n`,
    );
  }
}

/** The plugin's package.json: the name and version taskhooks finds itself by (src/util/package.ts), no dependencies. */
function pluginPackageJson(pkg) {
  const { name, version, description, license, engines, type } = pkg;
  return `${JSON.stringify({ name, version, description, license, private: true, type, engines }, null, 2)}\n`;
}

/**
 * Writes the plugin folder into `out` from `built` (a build's output, not yet stamped) and the repository at `root`.
 * Its bundles are stamped by the caller with no commit: the folder is committed, so it cannot name its own commit.
 */
export function writePluginFolder(root, built, out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(built, path.join(out, 'dist'), {
    recursive: true,
    filter: (src) => !NOT_SHIPPED.has(path.relative(built, src)),
  });
  for (const f of PLUGIN_FILES) cpSync(path.join(root, f), path.join(out, f));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  // The manifest names the version as `claude plugin validate` of the repository root asks, and Claude Code reads it
  // before the marketplace entry's (which names none): it must be package.json's, as the plugin's package.json is.
  const manifest = path.join(out, '.claude-plugin/plugin.json');
  const plugin = JSON.parse(readFileSync(manifest, 'utf8'));
  if (plugin.version !== pkg.version)
    throw new Error(`.claude-plugin/plugin.json names version ${plugin.version}, not package.json's ${pkg.version}`);
  writeFileSync(manifest, `${JSON.stringify(plugin, null, 2)}\n`);
  writeFileSync(path.join(out, 'package.json'), pluginPackageJson(pkg));
}
