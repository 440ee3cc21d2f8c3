// Bundles the hooks, the CLI/daemon and the lazily loaded network stack into dist/, as scripts/bundles.mjs declares:
// hooks are single files whose hot path never loads the MCP SDK, openid-client, pino or full zod.
import { build } from 'esbuild';
import {
  copyFileSync,
  rmSync,
  mkdirSync,
  writeFileSync,
  chmodSync,
  readdirSync,
  readFileSync,
  renameSync,
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { HOT_PATH_ENTRIES, buildOptions, hotPathProblems, placeBoundInputs, stampBuild } from './bundles.mjs';
import { bundledPackages, noticesText } from './notices.mjs';
import { PLUGIN_DIR, vendoredBuilds, writePluginFolder, writeVendoredManifests } from './plugin.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
// `--plugin-only DIR`: the plugin folder alone, written to DIR, dist/ and plugin/ untouched (the test holding the
// committed folder equal to a build).
const pluginOnly = process.argv[2] === '--plugin-only' ? path.resolve(process.argv[3]) : undefined;
// Several test runs share this tree: build aside, then rename file by file (atomic), so a hook or CLI started
// meanwhile by another run never finds dist/ half-built.
const staging = path.join(root, `.dist-staging-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });

const {
  common,
  betterSqliteCompiledIn,
  hookBuild,
  lazyHookBuild,
  entryFileBuild,
  cliBuild,
  tasksCliBuild,
  monitorCliBuild,
  helpCliBuild,
} = buildOptions(root, dist);

const results = await Promise.all([
  // The hooks are CommonJS (dist/hooks/package.json says so); the network stack stays ESM and loads through import()
  // only on a live fetch.
  build(hookBuild(staging)),
  build(lazyHookBuild(staging)),
  ...Object.keys(HOT_PATH_ENTRIES).map((entry) => build(entryFileBuild(staging, entry))),
  // The dashboard's page script and its live channel's worker: browser code served by the monitor from
  // dist/dashboard/, nothing from a CDN.
  build({
    entryPoints: {
      'dashboard/app': 'src/dashboard/client/app.ts',
      'dashboard/events-worker': 'src/dashboard/client/events-worker.ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir: staging,
    absWorkingDir: root,
    logLevel: 'warning',
    metafile: true,
  }),
  // OpenCode's plugin: loaded by OpenCode's own (Bun) process from opencode.json, so one file, nothing native.
  build({ ...common, entryPoints: { 'opencode-plugin': 'src/agents/opencode/plugin.ts' }, outdir: staging }),
  build({
    ...common,
    entryPoints: {
      'bench/minimal-hook': 'bench/minimal-hook.ts',
      'bench/task-store': 'bench/task-store.ts',
      // The project's SQLite wrapper, for benches that read or seed a database: node:sqlite where Node has it.
      'bench/sqlite': 'src/sqlite/index.ts',
    },
    outdir: staging,
    minify: true,
    // better-sqlite3 compiled in, as in the hooks, so the figure compares the two SQLite libraries as a hook has them.
    external: ['pg', 'bindings'],
    plugins: [betterSqliteCompiledIn],
  }),
  build(cliBuild(staging)),
  build(tasksCliBuild(staging)),
  build(monitorCliBuild(staging)),
  build(helpCliBuild(staging)),
  ...vendoredBuilds(common, staging).map((options) => build(options)),
]);

const [hooks, lazyHooks] = results;
const problems = [
  ...hotPathProblems(hooks.metafile),
  ...hotPathProblems(lazyHooks.metafile),
  ...results.flatMap((r) => placeBoundInputs(r.metafile)),
];
if (problems.length > 0) {
  rmSync(staging, { recursive: true, force: true });
  console.error(`The bundles break scripts/bundles.mjs:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}

for (const f of ['cli.js', 'install.js']) {
  const p = path.join(staging, f);
  chmodSync(p, 0o755);
}
copyFileSync(path.join(root, 'src/dashboard/client/style.css'), path.join(staging, 'dashboard', 'style.css'));
writeFileSync(path.join(staging, 'hooks', 'package.json'), '{ "type": "commonjs" }\n');
writeVendoredManifests(root, staging);
// The bundles hold other packages' code without its comments: their licences ship beside them.
writeFileSync(
  path.join(staging, 'THIRD-PARTY-NOTICES'),
  noticesText(
    bundledPackages(
      root,
      results.map((r) => r.metafile),
    ),
  ),
);

/** The commit the build was made from, `-dirty` when files differ from it; empty outside a git checkout (a tarball). */
function gitCommit() {
  try {
    const run = (args) =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    if (run(['rev-parse', '--show-toplevel']).trim() !== root) return '';
    const commit = run(['rev-parse', '--short=12', 'HEAD']).trim();
    return run(['status', '--porcelain', '--untracked-files=no']).trim() === '' ? commit : `${commit}-dirty`;
  } catch {
    return ''; // no git, or not a checkout: the build id alone tells builds apart
  }
}
const commit = gitCommit();
// The plugin folder's bundles name no commit (they are committed themselves), so the same sources build the same
// folder anywhere: stamped apart from dist/'s.
const pluginStaging = `${staging}-plugin`;
writePluginFolder(root, staging, pluginStaging);
stampBuild(path.join(pluginStaging, 'dist'), '');
if (pluginOnly) {
  rmSync(pluginOnly, { recursive: true, force: true });
  renameSync(pluginStaging, pluginOnly);
  rmSync(staging, { recursive: true, force: true });
  process.exit(0);
}
const plugin = path.join(root, PLUGIN_DIR);
const previousPlugin = `${staging}-previous-plugin`;
rmSync(previousPlugin, { recursive: true, force: true });
try {
  renameSync(plugin, previousPlugin);
} catch (err) {
  if (err.code !== 'ENOENT') throw err;
}
renameSync(pluginStaging, plugin);
rmSync(previousPlugin, { recursive: true, force: true });

const buildId = stampBuild(staging, commit);
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// Read by nothing at run time (the bundles carry their id): for a person, or a script, asking what dist/ holds.
writeFileSync(
  path.join(staging, 'BUILD'),
  `${JSON.stringify({ version, buildId, commit: commit || null, builtAt: new Date().toISOString() }, null, 2)}\n`,
);

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
for (const f of readdirSync(path.join(dist, 'chunks')))
  if (!fresh.has(f)) rmSync(path.join(dist, 'chunks', f), { force: true });
// Compiled code cached for the previous bundles carries their build id in its name and is never read again: drop it so
// dist/ does not grow with every build. The hooks write this build's caches on their first runs that do real work.
for (const f of readdirSync(path.join(dist, 'hooks', 'code')))
  if (f.endsWith('.cache')) rmSync(path.join(dist, 'hooks', 'code', f), { force: true });
rmSync(staging, { recursive: true, force: true });
