// What goes into which file of dist/, declared once: the build (scripts/build.mjs) reads it, and the test suite
// checks the hot path against it. A hook starts as a cold process on every tool call, so what its bundle contains
// is measured in milliseconds per call: the heavy parts live in files of their own, loaded only on rare paths.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The status line's entry: not a hook event, but built like one. */
const STATUS_LINE_FILE = 'hooks/status-line.ts';

/**
 * The hook entry points: single CommonJS files, the hot path of every Claude Code tool call. Every hooks/<name>.ts
 * but the status line is one, so a new event (listed in src/hooks/events/event-list.ts, derived like the entries)
 * needs no line here.
 */
export const HOOK_ENTRIES = Object.fromEntries(
  readdirSync(new URL('../hooks/', import.meta.url))
    .filter((f) => f.endsWith('.ts') && `hooks/${f}` !== STATUS_LINE_FILE)
    .sort()
    .map((f) => [`hooks/${f.replace(/\.ts$/, '')}`, `hooks/${f}`]),
);

/** The status line: not a hook, but a cold process after every assistant message all the same, built like one. */
export const STATUS_LINE_ENTRY = { 'hooks/status-line': STATUS_LINE_FILE };

/** Every entry on the hot path: built by hookBuild, held to HOT_PATH_FORBIDDEN and LAZY_MODULES. */
export const HOT_PATH_ENTRIES = { ...HOOK_ENTRIES, ...STATUS_LINE_ENTRY };

/**
 * Where a hot-path entry's bundle is built: dist/hooks/code/. The entry file itself (dist/hooks/<name>.js, what
 * settings and hooks.json name) is a few lines that run that bundle with V8's cached code
 * (src/hooks/hosts/code-cache.ts).
 */
export const bundleOf = (entry) => entry.replace(/^hooks\//, 'hooks/code/');

/**
 * Modules a hook reaches only through `import()` on a rare path, each built as a file of its own; the hook bundles
 * refer to that file instead of compiling the module in. Keyed by source path, valued by the file under dist/.
 */
export const LAZY_MODULES = {
  // The config loader and its zod schema: a miss of the validated-config cache.
  'src/config/load.ts': 'hooks/lazy/config-load.js',
  // That miss's own steps, the config loaded and the repository's project read (the task store opened), then kept.
  'src/config/config-cache-miss.ts': 'hooks/lazy/config-cache-miss.js',
  // The zod schema of the hook input: input that is not plainly well-formed.
  'src/hooks/input/schema.ts': 'hooks/lazy/hook-input.js',
  // The zod schema of the status line's input, likewise.
  'src/statusline/input-schema.ts': 'hooks/lazy/status-line-input.js',
  // A live fetch within the hook's deadline (asking the monitor, or under the cache's lease): a snapshot not fresh.
  'src/hooks/fetch/live-fetch.ts': 'hooks/lazy/live-fetch.js',
  // The Bash reader and shell-quote: a Bash command that may commit or push, read only when an answer depends on it.
  'src/hooks/guards/bash.ts': 'hooks/lazy/bash.js',
  // What a task tool's answer changed, read with zod: PostToolUse after a task tool, not after every call.
  'src/hooks/events/task-answers.ts': 'hooks/lazy/task-answers.js',
  // What stops a session whose hooks post to another process: SessionStart with hooks naming another port than the monitor's.
  'src/hooks/ports/stray-stop.ts': 'hooks/lazy/stray-stop.js',
  // What stops a session whose task tools' port another user holds: SessionStart while the monitor serves elsewhere.
  'src/hooks/ports/store-squat.ts': 'hooks/lazy/store-squat.js',
  // What SessionStart warns of (a monitor that does not answer, asked over node:http; a guard the installed hooks
  // cannot apply) and the notices a late monitor took: SessionStart whose socket path found it late, or a guard on.
  'src/hooks/session-warnings.ts': 'hooks/lazy/session-warnings.js',
  // SessionStart's record of the tasks it told, as the session's news baseline: once a session, after its answer is
  // rendered, so SessionStart's own bundle, compiled on every start, does not carry it.
  'src/hooks/news/start-baseline.ts': 'hooks/lazy/start-baseline.js',
  // Asking the monitor first, over its socket or port: required by the exec-form SessionStart's entry file (the
  // plugin's, Windows') before its bundle loads, never by a bundle.
  'src/hooks/hosts/ask-monitor.ts': 'hooks/lazy/ask-monitor.js',
  // Starting this home's monitor, or replacing one of another build: SessionStart's, once a session, never a tool call's.
  'src/home/launch.ts': 'hooks/lazy/launch.js',
  // Waiting for Claude Code's task tools after starting the monitor: SessionStart that had to start it.
  'src/hooks/events/session-start-tools.ts': 'hooks/lazy/session-start-tools.js',
  // What the sessions before told a starting session (work records, the built-in store's reader): SessionStart on it.
  'src/hooks/events/work-told.ts': 'hooks/lazy/work-told.js',
  // The work records a team's server keeps, read for a starting session: SessionStart on a source that keeps them.
  'src/hooks/events/work-remote.ts': 'hooks/lazy/work-remote.js',
  // A session's work record written (git, the store's writer): SessionEnd, which runs in the background.
  'src/hooks/events/work-record.ts': 'hooks/lazy/work-record.js',
  // PreToolUse's refusal of a call it could not check (an input it could not read, a failed run): read only then.
  'src/hooks/hosts/refusal.ts': 'hooks/lazy/refusal.js',
  // What a hook answers where no SQLite library loads: a Node with neither node:sqlite nor better-sqlite3's addon.
  'src/hooks/hosts/without-sqlite.ts': 'hooks/lazy/without-sqlite.js',
  // The alerts a monitor too late to reach its session took from that session's start: SessionStart after one.
  'src/cache/alerts-retold.ts': 'hooks/lazy/alerts-retold.js',
  // The token-format rules (35 KB of patterns): an answer or git text that holds one of their keywords.
  'src/log/token-formats.ts': 'hooks/lazy/token-formats.js',
  // git's program found on the PATH, never the repository's own: a hook that runs git.
  'src/git/git-program.ts': 'hooks/lazy/git-program.js',
  // The network stack (MCP SDK, openid-client, full zod): a live fetch. Also an entry of the CLI's split build.
  'src/network/index.ts': 'network.js',
};

/** The `import()`s every command's start takes (src/cli/main.ts): the settings, the home and the log. */
const START_IMPORTS = {
  'src/cli/main.ts': [
    '../config/settings.js',
    '../home/dir.js',
    '../home/notices.js',
    '../log/index.js',
    '../home/unwritable.js',
  ],
};

/**
 * The `tasks` commands' build (dist/cli-tasks.js): the `import()`s their every run takes, compiled in, keyed by the
 * file that makes them, as written there. What only some runs need (the store's export, the team store, the network
 * stack, a config the cache does not hold) stays a file of its own.
 */
export const TASKS_EAGER_IMPORTS = {
  ...START_IMPORTS,
  'src/cli/registry.ts': ['./commands/tasks.js'],
  'src/cli/commands/tasks-status.ts': ['./tasks-hold.js'],
  'src/cli/commands/task-route.ts': ['../../sources/embedded/local-write.js'],
  'src/cli/commands/tasks.ts': ['../../sources/embedded/local-work.js', './tasks-added.js'],
  'src/sources/embedded/in-process.ts': ['./local-read.js'],
  'src/log/redact.ts': ['./token-formats.js'],
  'src/git/safe.ts': ['./git-program.js'],
};

/** The areas of src/cli/registry.ts that define `tasks …` commands: the only ones the `tasks` build holds. */
export const TASKS_AREAS = ['./commands/tasks.js', './commands/store-admin.js'];

/**
 * `monitor run`'s build (dist/cli-monitor.js), made as the `tasks` build is: the start and the monitor's commands in
 * one file. The whole CLI's split build spread a monitor's start over some 160 files, and Node's module loader paid
 * for each while a herd of sessions waited for the monitor to listen. What a monitor loads only when it needs it (the
 * store server, the MCP stack, the dashboard, the config loader) stays in files of its own.
 */
const MONITOR_AREAS = ['./commands/monitor.js'];
const MONITOR_EAGER_IMPORTS = { ...START_IMPORTS, 'src/cli/registry.ts': MONITOR_AREAS };

/** The module every command loads first, whose imports a command's own build keeps in one file (see commandsOnly). */
const START_MODULE = 'src/cli/main.ts';

/** The source files under `dir` that some file there loads by `import('./…')`: esbuild's entries beside the build's own. */
function importTargets(dir) {
  const targets = new Set();
  for (const file of readdirSync(dir, { recursive: true })) {
    if (!file.endsWith('.ts')) continue;
    const from = path.join(dir, file);
    for (const [, spec] of readFileSync(from, 'utf8').matchAll(/(?<!typeof )import\('(\.[^']+)\.js'\)/g))
      targets.add(path.resolve(path.dirname(from), `${spec}.ts`));
  }
  return targets;
}

/** The lazy modules that are files of the hooks' own (dist/hooks/lazy/), keyed by their name under dist/ without .js. */
const LAZY_HOOK_FILES = Object.fromEntries(
  Object.entries(LAZY_MODULES)
    .filter(([, out]) => out.startsWith('hooks/'))
    .map(([src, out]) => [out.replace(/\.js$/, ''), src]),
);

/**
 * Packages that must never be compiled into a hot-path bundle (hooks, status line) or a lazy file of theirs, with
 * why: a lazy file is loaded by a hook process too, only more rarely.
 */
export const HOT_PATH_FORBIDDEN = [
  { pattern: /node_modules\/@modelcontextprotocol\/sdk\//, what: 'the MCP SDK (load it through src/network)' },
  { pattern: /node_modules\/openid-client\//, what: 'openid-client (load it through src/network)' },
  { pattern: /node_modules\/jose\//, what: 'jose (load it through src/network)' },
  { pattern: /node_modules\/pino\//, what: 'pino (deferredLogger requires it at first use)' },
  { pattern: /node_modules\/zod\/v4\/classic\//, what: "zod's full build (the hot path uses zod/mini)" },
  {
    pattern: /node_modules\/(simple-git|@simple-git)\//,
    what: 'simple-git (hooks spawn git through src/git/safe.ts spawnGitRunner)',
  },
  { pattern: /^src\/dashboard\//, what: "the dashboard (the monitor's page: nothing of it belongs on a hook's path)" },
];

/**
 * What only a hook's lazy files may hold: the config schema and zod run when the validated-config cache misses or the
 * input is not plainly well-formed, or a task tool's answer is read, never on the path every call takes.
 */
export const HOT_PATH_LAZY_ONLY = [
  {
    pattern: /node_modules\/zod\//,
    what: 'zod (only hooks/lazy/ files may hold it)',
  },
  { pattern: /^src\/config\/schema\.ts$/, what: 'the config schema (loaded with src/config/load.ts, lazily)' },
];

/**
 * The most a hook's bundle may weigh: V8 compiles what it loads on every cold start, so a bundle that grows past this
 * has taken in something that belongs in a lazy file. Every source's light definition is in each bundle (the settings
 * resolve the source's plan), about 1 KB a source, and both SQLite drivers (src/sqlite/driver.ts), of which a process
 * evaluates one. The largest today (SessionStart) is about 118.1 KB, its PATH kept to absolute folders and a claim told
 * apart from a person's included; the cap leaves room for a few lines, not a module.
 */
export const HOT_PATH_MAX_BYTES = 118_400;

const normal = (file) => file.split(path.sep).join('/');

/** Stand-ins the bundles are built with, replaced by stampBuild: the id then hashes code that does not hold itself. */
export const BUILD_ID_PLACEHOLDER = '@@taskhooks-build-id@@';
export const COMMIT_PLACEHOLDER = '@@taskhooks-commit@@';

/** Every file under `dir`, relative, sorted: the order the build id hashes them in. */
function filesUnder(dir, prefix = '') {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

/**
 * The build's id, a short hash of every file built into `dir` (with the placeholders still in) and of the commit, put
 * in place of the placeholders: the same sources at the same commit give the same id, any change another.
 */
export function stampBuild(dir, commit) {
  const hash = createHash('sha256');
  const files = filesUnder(dir);
  for (const f of files)
    hash
      .update(`${normal(f)}\0`)
      .update(readFileSync(path.join(dir, f)))
      .update('\0');
  const buildId = hash.update(commit).digest('hex').slice(0, 12);
  for (const f of files.filter((name) => name.endsWith('.js'))) {
    const file = path.join(dir, f);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(BUILD_ID_PLACEHOLDER) && !text.includes(COMMIT_PLACEHOLDER)) continue;
    writeFileSync(file, text.replaceAll(BUILD_ID_PLACEHOLDER, buildId).replaceAll(COMMIT_PLACEHOLDER, commit));
  }
  return buildId;
}

/**
 * The names the ES module builds take from node:fs and node:http (builtins-without-namespace below): a fixed list, not
 * the building Node's exports, so that every Node builds the same plugin/ byte for byte. A name the code imports that
 * is missing here fails the build ("No matching export"), naming it.
 */
const BUILTIN_NAMES = {
  'node:fs': [
    'accessSync',
    'appendFileSync',
    'chmodSync',
    'chownSync',
    'closeSync',
    'constants',
    'copyFileSync',
    'cpSync',
    'existsSync',
    'fstatSync',
    'fsyncSync',
    'linkSync',
    'lstatSync',
    'mkdirSync',
    'mkdtempSync',
    'openSync',
    'readFileSync',
    'readSync',
    'readdirSync',
    'readlinkSync',
    'realpathSync',
    'renameSync',
    'rmSync',
    'rmdirSync',
    'statSync',
    'statfsSync',
    'unlinkSync',
    'watch',
    'writeFileSync',
    'writeSync',
  ],
  'node:http': ['STATUS_CODES', 'ServerResponse', 'createServer'],
};

/** The esbuild options every bundle shares, the hooks' CommonJS variant, and the plugin that keeps lazy modules out. */
export function buildOptions(root, dist) {
  // One value for every bundle of one build: the validated-config cache keys its entries by it, so the hooks, the
  // status line and the CLI of a build share an entry, and a new build (perhaps a new schema) misses. Placeholders
  // here: scripts/build.mjs puts in the hash of what was built and the commit (stampBuild), once it is all built.
  const buildId = JSON.stringify(BUILD_ID_PLACEHOLDER);
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: false,
    // Licences ship in dist/THIRD-PARTY-NOTICES (scripts/notices.mjs), read from the metafiles, not in every bundle.
    legalComments: 'none',
    metafile: true,
    external: ['better-sqlite3', 'pg'],
    // esbuild's ESM output cannot `require` node builtins from bundled CommonJS (pino, etc.) without this.
    banner: {
      js: "import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
    define: { __TASKHOOKS_BUILD__: buildId, __TASKHOOKS_COMMIT__: JSON.stringify(COMMIT_PLACEHOLDER) },
  };
  // CommonJS starts ~10 ms faster than an ES module entry: the ESM loader, and builtin facades that evaluate every
  // getter (node:fs's streams included), are never loaded.
  const cjsHook = {
    ...common,
    format: 'cjs',
    minify: true,
    banner: { js: "const __thImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { ...common.define, 'import.meta.url': '__thImportMetaUrl' },
  };
  /**
   * A module declared lazy above and reached through `import()` is not compiled into the bundle: the call loads its
   * own file from dist/ instead. Matched by resolved source path, so renaming a file cannot silently pull it back
   * into every hook (hotPathProblems then reports it, and the build fails).
   */
  const lazyModules = (fromDir, { requireCommonJs = false } = {}) => ({
    name: 'lazy-modules',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace === 'lazy-require') return { path: args.path, external: true };
        if (args.kind !== 'dynamic-import') return undefined;
        const source = normal(path.relative(root, path.resolve(args.resolveDir, args.path))).replace(/\.js$/, '.ts');
        const target = LAZY_MODULES[source];
        if (!target) return undefined;
        const file = path.relative(fromDir, path.join(dist, target)).replace(/^(?!\.)/, './');
        // A CommonJS lazy file is required, not imported: `import()` from a CommonJS hook starts the ES module loader
        // and scans the file for its exports (~15 ms). A small module in the bundle does the `require` when the
        // `import()` first runs. The network stack is an ES module and stays an `import()`.
        if (requireCommonJs && target.startsWith('hooks/lazy/')) return { path: file, namespace: 'lazy-require' };
        return { path: file, external: true };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
        resolveDir: fromDir,
      }));
    },
  });
  /**
   * better-sqlite3 attaches every method to its Database at load, and a hook uses few of them: the ones it never
   * calls (virtual tables, user functions and aggregates, backups) are replaced by a stub that says so, sparing every
   * hook process the parse of ~8 KB. The task store's backups run in the CLI and the monitor, which load better-sqlite3
   * whole. Serialising stays (600 bytes): a read-only state directory's cache is read through it.
   */
  const unusedSqliteMethods = {
    name: 'unused-sqlite-methods',
    setup(b) {
      b.onResolve({ filter: /^\.\/methods\/(table|aggregate|function|backup)$/ }, (args) =>
        args.importer.includes(`${path.sep}better-sqlite3${path.sep}lib${path.sep}`)
          ? { path: args.path, namespace: 'unused-sqlite-method' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'unused-sqlite-method' }, (args) => ({
        contents: `module.exports = function () { throw new Error('better-sqlite3 ${path.basename(args.path)}() is not in the hook bundles (scripts/bundles.mjs)'); };`,
        loader: 'js',
      }));
    },
  };
  /**
   * src/sqlite/better-driver.ts loads better-sqlite3 at its first open through createRequire, which esbuild cannot
   * follow; as a plain `require` it is compiled in (its dozen CommonJS files resolved one by one cost a hook ~10 ms)
   * and still evaluated only when a process opens a database with it, never on node:sqlite.
   */
  const betterSqliteCompiledIn = {
    name: 'better-sqlite3-compiled-in',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]sqlite[\\/]better-driver\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const call = "createRequire(import.meta.url)('better-sqlite3')";
        if (!source.includes(call)) throw new Error(`${args.path} no longer has ${call}: update scripts/bundles.mjs`);
        return { contents: source.replace(call, "require('better-sqlite3')"), loader: 'ts' };
      });
    },
  };
  /**
   * zod's messages in English only: zod re-exports every locale it has (some fifty, 300 KB), and a namespace import
   * of zod (the MCP SDK's) keeps them all in the bundle, so the monitor held their source for as long as it ran.
   * taskhooks configures English (src/config/schema.ts) and names no other.
   */
  const zodEnglishOnly = {
    name: 'zod-english-only',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        args.importer.includes(`${path.sep}zod${path.sep}v4${path.sep}`)
          ? {
              // Relative to the checkout: esbuild hashes a plugin namespace's path into the chunk names.
              path: normal(path.relative(root, path.join(path.dirname(args.importer), '..', 'locales', 'en.js'))),
              namespace: 'zod-english-only',
            }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
        contents: `export { default as en } from ${JSON.stringify(path.resolve(root, args.path))};`,
        loader: 'js',
        resolveDir: path.dirname(path.resolve(root, args.path)),
      }));
    },
  };
  /**
   * node:fs and node:http taken from the process (process.getBuiltinModule) in the ES module builds. An ES import of
   * them builds a module namespace, which reads every export: fs's ReadStream getter loads the streams, http's
   * WebSocket getter undici (13 MB). That was a third of `tasks list` on Node 24 and a part of the idle monitor's
   * memory. Here a module exports the plain values by name, and the getters' values only through its default export.
   * (node:util's exports load as their names are listed, so src/cli/args.ts takes parseArgs from the process itself.)
   */
  const builtinsWithoutNamespace = {
    name: 'builtins-without-namespace',
    setup(b) {
      b.onResolve({ filter: /^node:(fs|http)$/ }, (args) => ({ path: args.path, namespace: 'builtin' }));
      b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
        const from = `process.getBuiltinModule(${JSON.stringify(args.path)})`;
        const names = BUILTIN_NAMES[args.path];
        return {
          contents: `const m = ${from};\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`,
          loader: 'js',
        };
      });
    },
  };
  /**
   * The MCP SDK's default JSON Schema checker (ajv and its formats, 350 KB) is left out: every Client and Server
   * taskhooks makes is given src/util/json-schema.ts instead. One made without it fails at once, naming this file.
   */
  const sdkWithoutAjv = {
    name: 'sdk-without-ajv',
    setup(b) {
      b.onResolve({ filter: /\/validation\/ajv-provider\.js$/ }, (args) =>
        args.importer.includes(`${path.sep}@modelcontextprotocol${path.sep}sdk${path.sep}`)
          ? { path: args.path, namespace: 'sdk-without-ajv' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'sdk-without-ajv' }, () => ({
        contents:
          "export class AjvJsonSchemaValidator { constructor() { throw new Error('ajv is not in the bundles (scripts/bundles.mjs): pass jsonSchemaValidator'); } }",
        loader: 'js',
      }));
    },
  };
  /** The hot-path bundles (hooks and status line), with the metafile hotPathProblems reads. */
  const hookBuild = (outdir) => ({
    ...cjsHook,
    entryPoints: Object.fromEntries(
      Object.entries(HOT_PATH_ENTRIES).map(([entry, source]) => [bundleOf(entry), source]),
    ),
    outdir,
    metafile: true,
    // better-sqlite3's JavaScript is bundled too (its addon still loads from node_modules): resolving and compiling
    // its dozen CommonJS files one by one cost a hook ~10 ms. `bindings` is only its fallback addon finder, unused
    // since src/sqlite passes nativeBinding.
    external: ['bindings'],
    plugins: [
      lazyModules(path.join(dist, 'hooks'), { requireCommonJs: true }),
      unusedSqliteMethods,
      betterSqliteCompiledIn,
    ],
  });
  /**
   * The hooks' lazy files (LAZY_HOOK_FILES), CommonJS like the hooks that require them, with the metafile
   * hotPathProblems reads. The network stack stays an `import()` of its own file.
   */
  const lazyHookBuild = (outdir) => ({
    ...cjsHook,
    entryPoints: LAZY_HOOK_FILES,
    outdir,
    metafile: true,
    plugins: [lazyModules(path.join(dist, 'hooks', 'lazy')), betterSqliteCompiledIn],
  });
  /** One entry file of the hot path: runs its bundle (see bundleOf) as itself, with V8's cached code. */
  const entryFileBuild = (outdir, entry) => ({
    ...cjsHook,
    stdin: {
      contents: `require('./src/hooks/hosts/code-cache.ts').runEntry(${JSON.stringify(path.basename(entry))}, module, require);`,
      resolveDir: root,
      loader: 'js',
      sourcefile: `${entry}.js`,
    },
    outfile: path.join(outdir, `${entry}.js`),
    banner: {},
    metafile: true,
  });
  /** src/cli/bin.ts's `import()`s of cli-tasks.js, cli-monitor.js and cli-help.js: builds of their own beside cli.js. */
  const ownBuildEntries = {
    name: 'own-build-entries',
    setup(b) {
      b.onResolve({ filter: /^\.\/cli-(tasks|help|monitor)\.js$/ }, (args) =>
        args.importer.endsWith(`${path.sep}bin.ts`) ? { path: args.path, external: true } : undefined,
      );
    },
  };
  /**
   * A command build's sources as its eager imports and areas make them (the `tasks` build's TASKS_EAGER_IMPORTS and
   * TASKS_AREAS, the monitor's MONITOR_…): each listed `import()` a static import, every other area's a refusal. A
   * listed call gone from its file fails the build, so the lists stay true.
   */
  const commandsOnly = ({ name, file: built, eagerImports, areas }) => ({
    name,
    setup(b) {
      const targets = importTargets(path.join(root, 'src'));
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const file = normal(path.relative(root, args.path));
        const eager = eagerImports[file];
        const registry = file === 'src/cli/registry.ts';
        // An import() target (its own entry to esbuild) imports the CLI's start too, which is always loaded before
        // it: the start's modules (and the eager ones' it reaches) are then shared by every entry alike, one file where
        // they were some twenty.
        const core = targets.has(args.path) ? `import ${JSON.stringify(path.join(root, START_MODULE))};` : '';
        if (!eager && !registry && !core) return undefined;
        let source = readFileSync(args.path, 'utf8');
        if (registry)
          source = source.replace(/import\('(\.\/commands\/[^']+)'\)/g, (call, spec) =>
            areas.includes(spec) ? call : `Promise.reject(new Error('dist/${built} holds no ${spec}'))`,
          );
        const heads = [];
        for (const spec of eager ?? []) {
          // `typeof import(…)` is a type, not a load: left as it is.
          const escaped = spec.replace(/[.*+?^$()|[\]\\/]/g, '\\$&');
          const call = new RegExp(`(?<!typeof )import\\('${escaped}'\\)`, 'g');
          if (!source.match(call))
            throw new Error(`${file} no longer has import('${spec}'): update the eager imports in scripts/bundles.mjs`);
          const name = `__eager${heads.length}`;
          heads.push(`import * as ${name} from '${spec}';`);
          source = source.replace(call, `Promise.resolve(${name})`);
        }
        return { contents: `${[core, ...heads].join('\n')}\n${source}`, loader: 'ts' };
      });
    },
  });
  const tasksOnly = commandsOnly({
    name: 'tasks-only',
    file: 'cli-tasks.js',
    eagerImports: TASKS_EAGER_IMPORTS,
    areas: TASKS_AREAS,
  });
  const monitorOnly = commandsOnly({
    name: 'monitor-only',
    file: 'cli-monitor.js',
    eagerImports: MONITOR_EAGER_IMPORTS,
    areas: MONITOR_AREAS,
  });
  /**
   * The CLI and the network stack share one split build: the MCP SDK and zod then load once per process instead of
   * once per bundle. `monitor run` has a build of its own (monitorCliBuild), the network stack among its chunks.
   */
  const cliBuild = (outdir) => ({
    ...common,
    entryPoints: {
      cli: 'src/cli/bin.ts',
      // The plugin's MCP server: node:net alone up front, the CLI's chunks only where no monitor answers.
      'mcp-bridge': 'src/cli/mcp-bridge.ts',
      install: 'install.ts',
      network: Object.keys(LAZY_MODULES).find((m) => LAZY_MODULES[m] === 'network.js'),
    },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // The CLI reaches the MCP SDK through a dynamic import, so esbuild wraps zod in lazy initialisers; with zod's
    // "sideEffects": false it then drops the init call before config/schema.ts runs ("Class2 is not a constructor",
    // evanw/esbuild#1490, #2326). Ignoring the annotation keeps the calls.
    ignoreAnnotations: true,
    // Comments out, whitespace cut: the monitor keeps every loaded module's source in its heap for as long as it
    // runs, and a comment with one non-ASCII character doubles a chunk's size there (V8 stores it as UTF-16).
    minifyWhitespace: true,
    // better-sqlite3's JavaScript compiled in, as in the hooks: loading its CommonJS files one by one from an ES module
    // (each resolved and scanned for its exports) was a tenth of `tasks list`. Its addon still loads from node_modules.
    external: ['pg', 'bindings'],
    plugins: [sdkWithoutAjv, zodEnglishOnly, ownBuildEntries, betterSqliteCompiledIn, builtinsWithoutNamespace],
    outdir,
  });
  /**
   * The `tasks` commands, the ones people run most, as a split build of their own beside the CLI's: there every `tasks`
   * run loaded some seventy files (one per set of commands that share code) and Node's module loader pays for each.
   * Here their common paths are one file; src/cli/bin.ts picks this build or the other before either loads.
   */
  const tasksCliBuild = (outdir) => ({
    ...cliBuild(outdir),
    entryPoints: { 'cli-tasks': 'src/cli/cli-tasks.ts' },
    chunkNames: 'chunks/tasks-[name]-[hash]',
    plugins: [sdkWithoutAjv, zodEnglishOnly, tasksOnly, betterSqliteCompiledIn, builtinsWithoutNamespace],
  });
  /** `monitor run` as a split build of its own (see MONITOR_EAGER_IMPORTS): src/cli/bin.ts picks it, like the `tasks` one. */
  const monitorCliBuild = (outdir) => ({
    ...cliBuild(outdir),
    entryPoints: { 'cli-monitor': 'src/cli/cli-monitor.ts' },
    chunkNames: 'chunks/monitor-run-[name]-[hash]',
    plugins: [sdkWithoutAjv, zodEnglishOnly, monitorOnly, betterSqliteCompiledIn, builtinsWithoutNamespace],
  });
  /**
   * Every `import()` of the help build a refusal, loaded only if called: src/cli/bin.ts sends that build nothing that
   * loads a command, the config or the log.
   */
  const helpOnly = {
    name: 'help-only',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) =>
        args.kind === 'dynamic-import' ? { path: args.path, namespace: 'help-only' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'help-only' }, (args) => ({
        contents: `throw new Error('dist/cli-help.js holds no ${args.path}: src/cli/bin.ts sends it top-level help alone');`,
        loader: 'js',
      }));
    },
  };
  /**
   * `taskhooks`, `--help` and `--version` alone, the first commands people run, as one file (dist/cli-help.js): the
   * whole CLI's split build spread what they load over some seventeen files, and Node's module loader pays for each.
   */
  const helpCliBuild = (outdir) => {
    const whole = cliBuild(outdir);
    return {
      ...whole,
      entryPoints: { 'cli-help': 'src/cli/cli-help.ts' },
      splitting: false,
      plugins: [helpOnly, ...whole.plugins],
    };
  };
  return {
    common,
    cjsHook,
    betterSqliteCompiledIn,
    lazyModules,
    sdkWithoutAjv,
    hookBuild,
    lazyHookBuild,
    entryFileBuild,
    cliBuild,
    tasksCliBuild,
    monitorCliBuild,
    helpCliBuild,
  };
}

/**
 * Inputs named by an absolute path, one per problem. esbuild hashes the path of every module a plugin loads into the
 * names of the chunks holding it, so such a path makes plugin/ differ with the folder the checkout lies in.
 */
export function placeBoundInputs(metafile) {
  return Object.keys(metafile.inputs)
    .filter((input) => path.isAbsolute(input.replace(/^[\w-]{2,}:/, '')))
    .map((input) => `${input} is named by an absolute path: return a path relative to the checkout from the plugin`);
}

/**
 * Every way an esbuild metafile's hot-path bundles and lazy hook files break the rules: a forbidden package compiled
 * in, or a lazy module compiled in instead of being loaded from its own file (a lazy file holds its own module, of
 * course). Empty when the hot path is clean.
 */
export function hotPathProblems(
  metafile,
  outputs = [...Object.keys(HOT_PATH_ENTRIES).map(bundleOf), ...Object.keys(LAZY_HOOK_FILES)],
) {
  const problems = [];
  for (const [out, meta] of Object.entries(metafile.outputs)) {
    const bundle = outputs.find((o) => normal(out).endsWith(`/${o}.js`));
    if (bundle === undefined) continue;
    for (const input of Object.keys(meta.inputs)) {
      const file = normal(input);
      const lazyOnly = HOT_PATH_LAZY_ONLY.filter(
        (f) => !bundle.startsWith('hooks/lazy/') && !f.except?.includes(bundle),
      );
      for (const f of [...HOT_PATH_FORBIDDEN, ...lazyOnly])
        if (f.pattern.test(file)) problems.push(`${bundle}.js contains ${file}: ${f.what}`);
      const lazy = LAZY_MODULES[file];
      if (lazy !== undefined && lazy !== `${bundle}.js`)
        problems.push(`${bundle}.js compiles in ${file}, which must stay lazy (import() it; see scripts/bundles.mjs)`);
    }
    // Said after what it contains: that is the cause to fix.
    if (!bundle.startsWith('hooks/lazy/') && meta.bytes > HOT_PATH_MAX_BYTES) {
      problems.push(
        `${bundle}.js is ${meta.bytes} bytes, over HOT_PATH_MAX_BYTES (${HOT_PATH_MAX_BYTES}): move what it newly needs into a lazy file`,
      );
    }
  }
  return problems;
}
